import { expect } from 'chai';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { browserSuite, expectAccessible, holdFeedAnswers, openPage, screenshot, type TestPage } from './browser-helpers.js';

const TV = { width: 1920, height: 1080 };
const hero = (p: Page, text: string) => p.locator('.tv-hero').filter({ hasText: text });

describe('browser: TV wall resilience', function () {
  this.timeout(90_000);
  const suite = browserSuite({ server: false });
  const servers: TestServer[] = [];
  const dataDirs: string[] = [];

  const openTv = async (url: string, token: string): Promise<TestPage> => {
    return openPage(suite.browser, { viewport: TV, into: suite.pages, url: `${url}/display?token=${encodeURIComponent(token)}` });
  };

  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dataDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('survives a server restart and shows the kudos posted while it was away', async () => {
    const first = await startTestServer();
    dataDirs.push(first.dataDir);
    const admin = await new Api(first.url).loginAdmin();
    const ana = await buildUser(admin, { name: 'Ana Lima', team: 'Support' });
    const ben = await buildUser(admin, { name: 'Ben Okafor', team: 'Billing' });
    const cy = await buildUser(admin, { name: 'Cy Tan', team: 'Support' });
    const token = (await admin.post('/api/v1/displays', { name: 'Support TV' })).body.token as string;
    const post = (api: Api, to: string[], behaviourKeys: string[], message: string) =>
      api.post('/api/v1/kudos', { recipientIds: to, behaviourKeys, message }).then((r) => {
        expect(r.status, r.text).to.equal(201);
        return r.body.id as string;
      });
    await post(ana.api, [ben.user.id], ['active-listening'], 'Ben listened to the whole story before suggesting anything.');
    const toRemove = 'Ana and Ben got the outage notice out in ten minutes.';
    const toRemoveId = await post(cy.api, [ana.user.id, ben.user.id], ['take-ownership', 'timely-response'], toRemove);
    const beforeDown = 'Cy turned an angry call into a renewal. Calm, kind and quick.';
    await post(ben.api, [cy.user.id], ['not-personal', 'win-win', 'empathize'], beforeDown);

    const tv = await openTv(first.url, token);
    await hero(tv.page, beforeDown).waitFor();
    await tv.page.getByTestId('display-stats').waitFor();
    await expectAccessible(tv.page, 'display');
    await screenshot(tv.page, 'display');

    await first.close({ keepData: true });
    await tv.page.locator('[data-testid="display-status"][data-status="offline"]').waitFor({ timeout: 15_000 });
    expect(await tv.page.getByTestId('display-status').textContent()).to.match(/offline/i);
    await hero(tv.page, beforeDown).waitFor(); // the last kudos stays up while offline
    await screenshot(tv.page, 'display-offline');

    const second = await startTestServer({ dataDir: first.dataDir, env: { PORT: String(first.port) } });
    servers.push(second);
    // Posted straight away: the wall is still backing off and has not reconnected yet.
    const whileAway = 'Ana stayed with a customer through a restart and kept them smiling.';
    const admin2 = await new Api(second.url).loginAdmin();
    const ana2 = await admin2.as(null).login(ana.user.email, ana.password);
    await post(ana2, [cy.user.id], ['peace-of-mind'], whileAway);
    // Removed by HR while the wall was away: only new kudos are replayed, so the wall must reload.
    expect(await tv.page.locator('.tv-recent').textContent()).to.contain(toRemove);
    const removed = await admin2.delete(`/api/v1/kudos/${toRemoveId}`, { reason: 'Posted twice' });
    expect(removed.status, removed.text).to.equal(204);

    await hero(tv.page, whileAway).waitFor({ timeout: 30_000 });
    await tv.page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached', timeout: 10_000 });
    await tv.page.locator(`[data-kudos-id="${toRemoveId}"]`).waitFor({ state: 'detached', timeout: 10_000 });
    // Nothing lost and nothing doubled.
    const ids = await tv.page.locator('[data-kudos-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kudos-id')));
    expect(ids.length).to.equal(3);
    expect(new Set(ids).size).to.equal(3);
    expect(await tv.page.locator('.tv-recent').textContent()).to.contain(beforeDown);
    // It never offered a login form.
    expect(await tv.page.locator('input').count()).to.equal(0);
  });

  const wallStatus = (page: Page, s: 'online' | 'offline') => page.locator(`[data-testid="display-status"][data-status="${s}"]`).waitFor({ state: 'attached', timeout: 10_000 });
  // The next feed request the wall makes once `holding` is set is held back (holdFeedAnswers).
  let holding = false;
  const holdNext = () => {
    const now = holding;
    holding = false;
    return now;
  };

  /** A wall on air with two kudos, the older one about to be removed by HR. */
  const wallWithTwo = async () => {
    holding = false;
    const server = await startTestServer();
    servers.push(server);
    const admin = await new Api(server.url).loginAdmin();
    const ana = await buildUser(admin, { name: 'Ana Lima', team: 'Support' });
    const ben = await buildUser(admin, { name: 'Ben Okafor', team: 'Support' });
    const token = (await admin.post('/api/v1/displays', { name: 'Support TV' })).body.token as string;
    const post = async (message: string) => {
      const r = await ana.api.post('/api/v1/kudos', { recipientIds: [ben.user.id], behaviourKeys: ['empathize'], message });
      expect(r.status, r.text).to.equal(201);
      return r.body.id as string;
    };
    const toRemoveId = await post('Ben took the call nobody wanted, twice.');
    await post('Ben stayed late so the release could go out calmly.');
    const remove = async () => {
      const r = await admin.delete(`/api/v1/kudos/${toRemoveId}`, { reason: 'Posted twice' });
      expect(r.status, r.text).to.equal(204);
    };
    return { server, token, toRemoveId, remove };
  };

  /**
   * wallWithTwo on a TV, which then goes offline and comes back: the reload it makes after the
   * reconnect has been read by the server and its answer is held back (holdFeedAnswers).
   */
  const wallWithReloadHeld = async () => {
    const { server, token, toRemoveId, remove } = await wallWithTwo();
    const { page, context } = await openTv(server.url, token);
    const gone = page.locator(`[data-kudos-id="${toRemoveId}"]`);
    await gone.waitFor();
    const status = (s: 'online' | 'offline') => wallStatus(page, s);
    await status('online');
    const nextHeld = await holdFeedAnswers(page, holdNext);
    await context.setOffline(true);
    await status('offline');
    holding = true;
    await context.setOffline(false);
    return { page, context, gone, status, remove, held: await nextHeld() };
  };

  it('a reload answered after a live removal does not bring the removed kudos back', async () => {
    // The reload after the reconnect is read by the server before the removal, and its answer
    // reaches the wall after the live removal did: HTTP and the socket are separate connections,
    // so nothing orders them. Forced here by holding the answer back.
    const { page, gone, remove, held: reload } = await wallWithReloadHeld();
    await remove();
    await gone.waitFor({ state: 'detached', timeout: 10_000 });
    await reload.release();
    expect(await gone.count(), 'the removed kudos came back with the older page').to.equal(0);
    expect(await page.locator('[data-kudos-id]').count()).to.equal(1);
  });

  it('an older reload answered after a newer one does not bring back a kudos removed while the wall was offline', async () => {
    // Reload one (after a first reconnect) is read before the removal and held back; the wall
    // goes offline again, HR removes the kudos, and reload two (after the next reconnect) answers.
    const { page, context, gone, status, remove, held: older } = await wallWithReloadHeld();
    await context.setOffline(true);
    await status('offline');
    await remove();
    await context.setOffline(false);
    await gone.waitFor({ state: 'detached', timeout: 30_000 });
    await older.release();
    expect(await gone.count(), 'the removed kudos came back with the older page').to.equal(0);
    expect(await page.locator('[data-kudos-id]').count()).to.equal(1);
  });

  it('a removal made between its first load and its live connection joining still leaves the wall', async () => {
    const { server, token, toRemoveId, remove } = await wallWithTwo();
    const t = await openPage(suite.browser, { viewport: TV, into: suite.pages });
    // The live connection reaches the server only once released: the wall shows its first page,
    // HR removes a kudos, and no socket is there to hear it.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await t.page.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await released;
      ws.connectToServer();
    });
    await t.page.goto(`${server.url}/display?token=${encodeURIComponent(token)}`);
    const gone = t.page.locator(`[data-kudos-id="${toRemoveId}"]`);
    await gone.waitFor();
    await remove();
    release();
    await t.page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached', timeout: 10_000 });
    await gone.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await t.page.locator('[data-kudos-id]').count()).to.equal(1);
  });

  it('the feed page catches up on every kudos missed during a server restart, more than a page of them', async () => {
    const first = await startTestServer();
    dataDirs.push(first.dataDir);
    const admin = await new Api(first.url).loginAdmin();
    const reader = await buildUser(admin, { name: 'Rita Reader', team: 'Support' });
    const giver = await buildUser(admin, { name: 'Gus Giver', team: 'Support' });
    const give = async (message: string) => {
      const r = await giver.api.post('/api/v1/kudos', { recipientIds: [reader.user.id], behaviourKeys: ['empathize'], message });
      expect(r.status, r.text).to.equal(201);
      return r.body.id as string;
    };
    const seen = await give('Seen before the restart');
    const t = await openPage(suite.browser, { as: reader.api, into: suite.pages });
    await t.page.goto(`${first.url}/`);
    await t.page.locator(`[data-kudos-id="${seen}"]`).waitFor();
    await t.page.locator('.live-badge[data-status="online"]').waitFor();

    await first.close({ keepData: true });
    await t.page.locator('.live-badge[data-status="offline"]').waitFor({ timeout: 15_000 });
    servers.push(await startTestServer({ dataDir: first.dataDir, env: { PORT: String(first.port) } }));
    // More than the first page (20) holds, posted while the page is still backing off.
    const missed: string[] = [];
    for (let i = 0; i < 25; i++) missed.push(await give(`Missed while away, number ${i}`));

    await t.page.locator('.live-badge[data-status="online"]').waitFor({ timeout: 30_000 });
    await t.page.waitForFunction(
      (ids) => ids.every((id) => document.querySelector(`[data-kudos-id="${id}"]`)),
      missed,
      { timeout: 10_000 },
    );
    const ids = await t.page.locator('[data-kudos-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kudos-id')));
    expect(ids).to.have.length(26);
    expect(new Set(ids).size).to.equal(26);
  });

  it('shows the revoked screen when its display is revoked, live and on a fresh load', async () => {
    const server = await startTestServer();
    servers.push(server);
    const admin = await new Api(server.url).loginAdmin();
    const d = await admin.post('/api/v1/displays', { name: 'Cafeteria TV' });
    const tv = await openTv(server.url, d.body.token);
    await tv.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();

    expect((await admin.delete(`/api/v1/displays/${d.body.id}`)).status).to.equal(204);
    await tv.page.getByTestId('display-revoked').getByRole('heading', { name: 'This display was revoked' }).waitFor({ timeout: 10_000 });
    await expectAccessible(tv.page, 'display revoked');
    await screenshot(tv.page, 'display-revoked');

    const again = await openTv(server.url, d.body.token);
    await again.page.getByTestId('display-revoked').waitFor({ timeout: 10_000 });
    expect(await again.page.locator('input').count()).to.equal(0);
  });

  it('stops asking the server anything once it was revoked: no stats polling, no reconnects', async () => {
    const server = await startTestServer();
    servers.push(server);
    const admin = await new Api(server.url).loginAdmin();
    const d = await admin.post('/api/v1/displays', { name: 'Hall TV' });
    const t = await openPage(suite.browser, { viewport: TV, into: suite.pages });
    await t.page.clock.install();
    const asked: string[] = [];
    t.page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/') || path.startsWith('/socket.io') || path === '/readyz' || path === '/display') asked.push(path);
    });
    await t.page.goto(`${server.url}/display?token=${encodeURIComponent(d.body.token)}`);
    await t.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
    expect((await admin.delete(`/api/v1/displays/${d.body.id}`)).status).to.equal(204);
    await t.page.getByTestId('display-revoked').waitFor({ timeout: 10_000 });
    await t.page.waitForTimeout(500);
    asked.length = 0;
    // An hour on the wall, in one-minute steps, so every interval gets its chance to fire.
    for (let i = 0; i < 60; i++) await t.page.clock.runFor(60_000);
    // Then past the daily reload: before the fix the revoked wall still asked /readyz and reloaded,
    // asking for the feed again with its revoked token once a day.
    await t.page.clock.fastForward(25 * 60 * 60 * 1000);
    await t.page.clock.fastForward(60 * 60 * 1000);
    await t.page.waitForTimeout(500);
    expect(asked, 'requests made after the revoked screen appeared').to.deep.equal([]);
    await t.page.getByTestId('display-revoked').waitFor();
  });

  it('refuses a person’s sign-in token in its address: an hr token would put private kudos on the office TV', async () => {
    const server = await startTestServer();
    servers.push(server);
    const admin = await new Api(server.url).loginAdmin();
    const hr = await buildUser(admin, { name: 'Hana Reyes', role: 'hr' });
    const ana = await buildUser(admin, { name: 'Ana Lima' });
    const ben = await buildUser(admin, { name: 'Ben Okafor' });
    const secret = 'Thank you for covering for me during my treatment.';
    expect((await ana.api.post('/api/v1/kudos', { recipientIds: [ben.user.id], behaviourKeys: ['empathize'], message: secret, visibility: 'private' })).status).to.equal(201);
    const t = await openTv(server.url, hr.api.token as string);
    await t.page.getByTestId('display-no-token').waitFor();
    // Nothing was asked with the person's token, and it was not kept for the next load either.
    const asked: string[] = [];
    t.page.on('request', (r) => asked.push(r.url()));
    await t.page.reload();
    await t.page.getByTestId('display-no-token').waitFor();
    expect(await t.page.getByText(secret).count()).to.equal(0);
    expect(asked.filter((u) => u.includes('/api/') || u.includes('/socket.io/'))).to.deep.equal([]);
    expect(await t.page.evaluate(() => localStorage.getItem('shine.display.token'))).to.equal(null);
  });

  it('puts off its daily reload while the server cannot serve the wall (storage away, or draining)', async () => {
    const server = await startTestServer();
    servers.push(server);
    const admin = await new Api(server.url).loginAdmin();
    const token = (await admin.post('/api/v1/displays', { name: 'Daily TV' })).body.token as string;
    const t = await openPage(suite.browser, { viewport: TV, into: suite.pages });
    await t.page.clock.install();
    await t.page.goto(`${server.url}/display?token=${encodeURIComponent(token)}`);
    await t.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
    // The process answers, its storage does not: /readyz says 503 (as while draining for a deploy).
    // Before the fix the wall reloaded on /healthz alone and sat on "Starting…" until storage came back.
    await t.page.route('**/readyz', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"store_unavailable","message":"Storage is not reachable.","details":[]}}' }));
    await t.page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await t.page.clock.fastForward(25 * 60 * 60 * 1000);
    await t.page.clock.fastForward(60 * 60 * 1000);
    await t.page.waitForTimeout(500);
    expect(await t.page.evaluate(() => 'sameDocument' in window), 'the wall reloaded while storage was away').to.equal(true);

    await t.page.unroute('**/readyz');
    const reloaded = t.page.waitForEvent('load');
    await t.page.clock.fastForward(60 * 60 * 1000);
    await reloaded;
    await t.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
  });

  it('explains itself instead of asking for a login when opened without a token', async () => {
    const server = await startTestServer();
    servers.push(server);
    const t = await openPage(suite.browser, { viewport: TV, into: suite.pages });
    await t.page.goto(`${server.url}/display`);
    await t.page.getByTestId('display-no-token').waitFor();
    expect(await t.page.locator('input').count()).to.equal(0);
    await expectAccessible(t.page, 'display without token');
  });
});
