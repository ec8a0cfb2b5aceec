import { expect } from 'chai';
import type { Locator, Page, WebSocket } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, openPage } from './browser-helpers.js';

/**
 * The browser's clock is set this far ahead of the server's, so a kudos posted just now reads
 * "1 minute ago" (70 s) and one 30 s tick later "2 minutes ago" (100 s rounds to 2).
 */
const AHEAD_MS = 70_000;
const TICK_MS = 30_000;

/** "2 minutes ago" in the page's own locale, as the pages write it. */
const minutesAgo = (page: Page, n: number) =>
  page.evaluate((m) => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-m, 'minute'), n);

/** `time` says "1 minute ago" and, once the page's clock moves one tick on, "2 minutes ago" by itself. */
const expectMovesOnOneTick = async (page: Page, time: Locator) => {
  expect(await time.textContent()).to.equal(await minutesAgo(page, 1));
  await page.clock.fastForward(TICK_MS);
  await time.filter({ hasText: await minutesAgo(page, 2) }).waitFor({ timeout: 5000 });
};

/**
 * A feed or wall left open must not say "just now" for an hour: the relative times redraw every
 * 30 s by themselves. The test fakes the page's clock and jumps it one tick ahead. socket.io
 * closes a connection that has not heard a ping for 40 s (by that same clock), so the jump
 * stays below that, taken just after connecting; the test then checks that the very same
 * WebSocket is still open, so no reconnect (and its reload) is what redrew the page.
 */
describe('browser: relative times move on by themselves', function () {
  this.timeout(60_000);
  const suite = browserSuite();
  let giver: Awaited<ReturnType<typeof buildUser>>;
  let receiver: Awaited<ReturnType<typeof buildUser>>;
  let displayToken: string;

  /** Opens `path` with a fake clock AHEAD_MS ahead; records the page's WebSockets. */
  const open = async (api: Api | null, path: string) => {
    const t = await suite.open(api);
    await t.page.clock.install({ time: Date.now() + AHEAD_MS });
    const sockets: WebSocket[] = [];
    t.page.on('websocket', (ws) => sockets.push(ws));
    await t.page.goto(suite.server.url + path);
    return { page: t.page, sockets };
  };
  const post = async (message: string) => {
    const r = await giver.api.post('/api/v1/kudos', { recipientIds: [receiver.user.id], behaviourKeys: ['empathize'], message });
    expect(r.status, r.text).to.equal(201);
  };
  const expectSameConnection = (sockets: WebSocket[]) => {
    expect(sockets.map((s) => s.url()), 'WebSockets opened').to.have.length(1);
    expect(sockets[0]?.isClosed(), 'the WebSocket was closed').to.equal(false);
  };

  before(async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    giver = await buildUser(admin, { name: 'Tia Ticker', team: 'Support' });
    receiver = await buildUser(admin, { name: 'Tom Ticker', team: 'Support' });
    displayToken = (await admin.post('/api/v1/displays', { name: 'Clock TV' })).body.token as string;
  });

  it('the feed turns "1 minute ago" into "2 minutes ago" without a reload, a new kudos or a reconnect', async () => {
    const message = 'Tom answered the midnight ticket and stayed until it was solved.';
    await post(message);
    const { page, sockets } = await open(receiver.api, '/');
    const time = page.locator('article.kudos-card').filter({ hasText: message }).locator('time');
    await time.waitFor();
    await page.locator('.live-badge[data-status="online"]').waitFor();
    await expectMovesOnOneTick(page, time);
    expectSameConnection(sockets);
    expect(await page.locator('.live-badge').getAttribute('data-status')).to.equal('online');
  });

  it('so do the times of comments', async () => {
    const message = 'Tom stayed on the phone until the customer was happy.';
    await post(message);
    const kudos = (await giver.api.get('/api/v1/kudos?limit=1')).body.items[0] as { id: string };
    const c = await receiver.api.post(`/api/v1/kudos/${kudos.id}/comments`, { message: 'Thank you, Tia!' });
    expect(c.status, c.text).to.equal(201);
    const { page, sockets } = await open(receiver.api, '/');
    const card = page.locator('article.kudos-card').filter({ hasText: message });
    await card.getByRole('button', { name: /comments?$/ }).click();
    const time = card.locator('.comment').filter({ hasText: 'Thank you, Tia!' }).locator('time');
    await time.waitFor();
    await page.locator('.live-badge[data-status="online"]').waitFor();
    await expectMovesOnOneTick(page, time);
    expectSameConnection(sockets);
  });

  it('so do the times on a profile', async () => {
    const message = 'Tom found the invoice everyone else had given up on.';
    await post(message);
    const { page } = await open(receiver.api, `/people/${receiver.user.id}`);
    const time = page.getByRole('region', { name: 'Received' }).locator('article.kudos-card').filter({ hasText: message }).locator('time');
    await time.waitFor();
    // Marks this document, so a reload could not pass for a redraw.
    await page.evaluate(() => Object.assign(window, { stillHere: true }));
    await expectMovesOnOneTick(page, time);
    expect(await page.evaluate(() => 'stillHere' in window)).to.equal(true);
  });

  it('so does the TV wall', async () => {
    const message = 'Tom turned a refund request into a thank-you note.';
    await post(message);
    const { page, sockets } = await open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    const time = page.locator('.tv-hero').filter({ hasText: message }).locator('.tv-meta');
    await time.waitFor();
    await page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached' });
    await expectMovesOnOneTick(page, time);
    expectSameConnection(sockets);
    expect(await page.locator('[data-testid="display-status"]').getAttribute('data-status')).to.equal('online');
  });

  it('never dates a kudos in the future on a TV whose clock runs behind the server\'s', async () => {
    // A TV nobody sets the clock of: before the fix every new kudos on its wall said "in 5 minutes".
    const t = await openPage(suite.browser, { viewport: { width: 1920, height: 1080 }, into: suite.pages });
    await t.page.clock.install({ time: Date.now() - 5 * 60_000 });
    await t.page.goto(`${suite.server.url}/display?token=${encodeURIComponent(displayToken)}`);
    await t.page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached' });
    const message = 'Tom answered a customer in Tokyo at their breakfast time.';
    await post(message);
    const time = t.page.locator('.tv-hero').filter({ hasText: message }).locator('.tv-meta');
    await time.waitFor();
    expect(await time.textContent()).to.equal('just now');
  });
});
