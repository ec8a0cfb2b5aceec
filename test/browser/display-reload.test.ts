import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { until } from '../support/until.js';
import { browserSuite, openPage } from './browser-helpers.js';

const TV = { width: 1920, height: 1080 };
const FAILED_RELOADS = 3;

/**
 * After every reconnect the TV wall reloads its first page over HTTP. When that reload fails (a
 * 503 while the store restarts), the wall must keep retrying, with backoff, instead of staying
 * stale until the next reconnect, which on a wall left alone may be weeks away.
 */
describe('browser: TV wall, a failed reload after a reconnect', function () {
  this.timeout(60_000);
  const suite = browserSuite();

  it('retries with growing delays until the feed answers, then shows the kudos posted while it was offline', async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    const ana = await buildUser(admin, { name: 'Ana Retry', team: 'Support' });
    const ben = await buildUser(admin, { name: 'Ben Retry', team: 'Support' });
    const token = (await admin.post('/api/v1/displays', { name: 'Retry TV' })).body.token as string;
    const t = await openPage(suite.browser, { viewport: TV, into: suite.pages });
    const { context, page } = t;
    // Armed once the network is back: the feed then answers 503 a few times, as while the store
    // behind it restarts, and every request it gets is timed.
    let failuresLeft = 0;
    let watching = false;
    const reloads: number[] = [];
    await page.route((u) => u.pathname === '/api/v1/kudos', async (r) => {
      if (!watching) return r.continue();
      reloads.push(Date.now());
      if (failuresLeft === 0) {
        watching = false;
        return r.continue();
      }
      failuresLeft--;
      await r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'The store is restarting.' } }) });
    });
    const status = (s: 'online' | 'offline', timeout = 10_000) => page.locator(`[data-testid="display-status"][data-status="${s}"]`).waitFor({ state: 'attached', timeout });

    await page.goto(`${suite.server.url}/display?token=${encodeURIComponent(token)}`);
    await page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
    await status('online');
    await page.evaluate(() => ((window as unknown as { shineMark: number }).shineMark = 42));

    // Chromium's offline mode cuts the live connection and fails every new attempt.
    await context.setOffline(true);
    await status('offline');
    // Posted while the wall is offline, so it cannot arrive live; and the wall holds no kudos to
    // anchor a replay on, so only the reload after the reconnect can bring it.
    const message = 'Ben kept the wall’s first customer happy while the network was down.';
    const posted = await ana.api.post('/api/v1/kudos', { recipientIds: [ben.user.id], behaviourKeys: ['empathize'], message });
    expect(posted.status, posted.text).to.equal(201);

    failuresLeft = FAILED_RELOADS;
    watching = true;
    await context.setOffline(false);
    await status('online', 30_000);
    await until(() => reloads.length >= FAILED_RELOADS, 20_000, () => `${FAILED_RELOADS} failed reloads (saw ${reloads.length})`, 50);
    // The premise: nothing but a reload shows the kudos, and every reload so far failed.
    expect(await page.locator('.tv-hero').count()).to.equal(0);

    await page.locator('.tv-hero').filter({ hasText: message }).waitFor({ timeout: 20_000 });
    expect(reloads).to.have.length(FAILED_RELOADS + 1);
    // Backoff: the n-th wait is at least half of 2^n seconds (the wall randomises it by ±50%), so
    // a wall does not hammer a store that is down. 100 ms of slack for the route's own latency.
    const waits = reloads.slice(1).map((at, i) => at - (reloads[i] as number));
    waits.forEach((ms, n) => expect(ms, `wait before retry ${n + 1} (waits: ${waits.join(', ')} ms)`).to.be.at.least(500 * 2 ** n - 100));
    expect(await page.evaluate(() => (window as unknown as { shineMark?: number }).shineMark)).to.equal(42); // never reloaded itself
    expect(await page.locator('[data-testid="display-status"]').getAttribute('data-status')).to.equal('online');
  });
});
