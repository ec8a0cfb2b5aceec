import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { answersOutrunAborts, browserSuite, expectAccessible, holdFeedAnswers, requestFailure, screenshot, type Held, type TestPage } from './browser-helpers.js';

/** Marks the window; if the page reloads, the mark is gone. */
const mark = (p: Page) => p.evaluate(() => ((window as unknown as { shineMark: number }).shineMark = 42));
const stillMarked = (p: Page) => p.evaluate(() => (window as unknown as { shineMark?: number }).shineMark === 42);
const card = (p: Page, text: string) => p.locator('article.kudos-card').filter({ hasText: text });

describe('browser: feed and TV wall, live', function () {
  this.timeout(90_000);
  const suite = browserSuite();
  let admin: Api;
  let giver: Awaited<ReturnType<typeof buildUser>>;
  let receiver: Awaited<ReturnType<typeof buildUser>>;
  let displayToken: string;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    giver = await buildUser(admin, { name: 'Alice Giver', team: 'Support' });
    receiver = await buildUser(admin, { name: 'Bruno Receiver', team: 'Sales' });
    const d = await admin.post('/api/v1/displays', { name: 'Lobby TV' });
    expect(d.status).to.equal(201);
    displayToken = d.body.token;
  });

  it('a kudos written in the composer appears in a colleague’s open feed and on the TV wall, without reload', async () => {
    const tv = await suite.open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    await tv.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
    await screenshot(tv.page, 'display-waiting');
    const bob = await suite.open(receiver.api, '/');
    await bob.page.locator('.live-badge[data-status="online"]').waitFor();
    const alice = await suite.open(giver.api, '/');
    await alice.page.locator('.live-badge[data-status="online"]').waitFor();
    await Promise.all([mark(tv.page), mark(bob.page)]);

    const p = alice.page;
    await p.getByRole('combobox', { name: 'Who do you want to thank?' }).fill('brun');
    await p.getByRole('option', { name: /Bruno Receiver/ }).waitFor();
    await p.keyboard.press('Enter');
    await p.getByRole('list', { name: 'Recipients' }).getByText('Bruno Receiver').waitFor();
    await p.getByText('Effective Problem Resolution').click();
    await p.getByLabel(/Take ownership/).check();
    await p.getByText('Make the Customer #1').click();
    await p.getByLabel(/Thank customers/).check();
    const message = 'Bruno stayed late to fix the billing mix-up and called the customer back himself.';
    await p.getByLabel('What did they do?').fill(message);
    expect(await p.locator('#composer-counter').textContent()).to.contain(`${[...message].length} / 1000`);
    await p.getByRole('button', { name: 'Send kudos' }).focus();
    await p.keyboard.press('Enter');
    await p.getByRole('status').filter({ hasText: 'Kudos sent to Bruno Receiver' }).waitFor();
    // A keyboard user is still where they were, not thrown back to the top of the page.
    expect(await p.evaluate(() => document.activeElement?.textContent?.trim())).to.equal('Send kudos');
    await card(p, message).waitFor();

    // Bruno's feed and the TV wall got it live.
    const bobCard = card(bob.page, message);
    await bobCard.waitFor();
    expect(await bobCard.textContent()).to.contain('Alice Giver thanked Bruno Receiver');
    expect(await bobCard.getByRole('list', { name: 'Behaviours' }).textContent()).to.contain('Take ownership');
    const hero = tv.page.locator('.tv-hero');
    await hero.filter({ hasText: message }).waitFor();
    expect(await hero.locator('.tv-recipients').textContent()).to.equal('Bruno Receiver');
    expect(await hero.textContent()).to.contain('Alice Giver');
    expect(await hero.textContent()).to.contain('Take ownership');
    expect(await stillMarked(bob.page)).to.equal(true);
    expect(await stillMarked(tv.page)).to.equal(true);
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.getByRole('combobox', { name: 'Who do you want to thank?' }).focus();
    await screenshot(p, 'feed');

    // Reactions and comments travel live too.
    await bobCard.getByRole('button', { name: 'React' }).click();
    await bobCard.getByRole('button', { name: 'applause' }).click();
    await card(p, message).getByRole('button', { name: /applause: 1/ }).waitFor();
    await bobCard.getByRole('button', { name: /0 comments/ }).click();
    await bobCard.getByLabel('Add a comment').fill('Thank you, Alice!');
    await bobCard.getByRole('button', { name: 'Post' }).click();
    await bobCard.getByText('Thank you, Alice!').waitFor();
    await card(p, message).getByRole('button', { name: /1 comment/ }).waitFor();

    await expectAccessible(bob.page, 'feed');
    await expectAccessible(tv.page, 'display');
  });

  it('announces my own kudos once, even when its live event arrives before the answer to my POST', async () => {
    const alice = await suite.open(giver.api, '/');
    const p = alice.page;
    await p.locator('.live-badge[data-status="online"]').waitFor();
    // Everything said through a live region, in order.
    await p.evaluate(() => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      new MutationObserver((changes) => {
        for (const c of changes) {
          const node = c.target instanceof Element ? c.target : c.target.parentElement;
          const region = node?.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"]');
          const text = region?.textContent?.trim();
          if (region && text && said[said.length - 1] !== text) said.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // The server has sent the live event before this answer reaches the page.
    await p.route('**/api/v1/kudos', async (r) => {
      if (r.request().method() !== 'POST') return r.continue();
      const answer = await r.fetch();
      await new Promise((done) => setTimeout(done, 800));
      await r.fulfill({ response: answer });
    });
    await p.getByRole('combobox', { name: 'Who do you want to thank?' }).fill('brun');
    await p.getByRole('option', { name: /Bruno Receiver/ }).waitFor();
    await p.keyboard.press('Enter');
    await p.getByText('Make the Customer #1').click();
    await p.getByLabel(/Thank customers/).check();
    const message = 'Bruno found the lost parcel and drove it over himself.';
    await p.getByLabel('What did they do?').fill(message);
    await p.getByRole('button', { name: 'Send kudos' }).click();
    await card(p, message).waitFor();
    expect(await p.getByRole('button', { name: 'Sending…' }).count(), 'the live event came first').to.equal(1);
    await p.getByRole('status').filter({ hasText: 'Kudos sent to Bruno Receiver' }).waitFor();
    await p.waitForTimeout(300);
    const said = await p.evaluate(() => (window as unknown as { said: string[] }).said);
    expect(said.filter((t) => t.includes('Bruno Receiver'))).to.deep.equal(['Kudos sent to Bruno Receiver.']);
  });

  it('shows a hostile message as text in the feed and on the TV wall', async () => {
    const tv = await suite.open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    await tv.page.locator('.tv-hero').waitFor();
    const bob = await suite.open(receiver.api, '/');
    await bob.page.locator('.live-badge[data-status="online"]').waitFor();
    const hostile = '<img src=x onerror=alert(1)>';
    const res = await giver.api.post('/api/v1/kudos', { recipientIds: [receiver.user.id], behaviourKeys: ['empathize'], message: hostile });
    expect(res.status).to.equal(201);

    const bobCard = bob.page.locator('article.kudos-card').filter({ hasText: hostile });
    await bobCard.waitFor();
    expect(await bobCard.locator('.kudos-message').textContent()).to.equal(hostile);
    expect(await bobCard.locator('img').count()).to.equal(0);
    const hero = tv.page.locator('.tv-hero');
    await hero.filter({ hasText: hostile }).waitFor();
    expect(await hero.locator('.tv-message-text').textContent()).to.equal(hostile);
    expect(await tv.page.locator('img').count()).to.equal(0);
    // A reload renders it from the REST answer instead of the socket: still text.
    await bob.page.reload();
    await bob.page.locator('article.kudos-card').filter({ hasText: hostile }).waitFor();
    expect(await bob.page.locator('article.kudos-card img').count()).to.equal(0);
    // expectNoProblems (afterEach) also fails on any alert() dialog.
  });

  it('keeps at most 300 cards as live kudos pour in, and "Load more" carries on after the last one kept', async () => {
    const bob = await suite.open(receiver.api, '/');
    const p = bob.page;
    await p.locator('.live-badge[data-status="online"]').waitFor();
    // Eleven givers, so no one hits the per-giver rate limit (30 a minute).
    const givers = [];
    for (let g = 0; g < 11; g++) givers.push(await buildUser(admin, { name: `Flood Giver ${g}`, team: 'Support' }));
    for (let i = 1; i <= 308; i++) {
      const r = await givers[i % 11]!.api.post('/api/v1/kudos', { recipientIds: [receiver.user.id], behaviourKeys: ['empathize'], message: `Flood ${i}` });
      expect(r.status, r.text).to.equal(201);
    }
    await card(p, 'Flood 308').waitFor();
    await p.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 300);
    // What the API itself lists, newest first.
    const all: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const r = await receiver.api.get(`/api/v1/kudos?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...(r.body.items as { id: string }[]).map((x) => x.id));
      cursor = r.body.nextCursor as string | null;
      if (!cursor) break;
    }
    const shown = () => p.locator('article.kudos-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-kudos-id')));
    expect(await shown()).to.deep.equal(all.slice(0, 300));
    await p.getByRole('button', { name: 'Load more' }).click();
    await p.waitForFunction(() => document.querySelectorAll('article.kudos-card').length > 300);
    // No gap and no repeat: the next page starts right after the last card kept.
    expect(await shown()).to.deep.equal(all.slice(0, Math.min(all.length, 320)));
  });
});

const isFirstPage = (u: URL, team: string | null) => u.pathname === '/api/v1/kudos' && !u.searchParams.has('cursor') && u.searchParams.get('team') === team;

/** Kudos ids shown, top to bottom. */
const shown = (p: Page) => p.locator('article.kudos-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-kudos-id')));

/** Presses "Load more" until it goes, each time once its page has answered. */
async function loadAll(p: Page): Promise<void> {
  const more = p.getByRole('button', { name: 'Load more' });
  while ((await more.count()) > 0) {
    await Promise.all([p.waitForResponse((r) => new URL(r.url()).searchParams.has('cursor')), more.click()]);
    await p.waitForTimeout(100);
  }
}

describe('browser: feed filters against live reconnects, "Load more" and late answers', function () {
  this.timeout(90_000);
  const suite = browserSuite();
  let admin: Api;
  let reader: Awaited<ReturnType<typeof buildUser>>;
  let beta: Awaited<ReturnType<typeof buildUser>>[];

  const post = async (from: Api, to: string, message: string) => {
    const r = await from.post('/api/v1/kudos', { recipientIds: [to], behaviourKeys: ['empathize'], message });
    expect(r.status, r.text).to.equal(201);
    return r.body.id as string;
  };
  /** What the API lists for the reader with this filter, newest first, every page. */
  const listed = async (team: string | null) => {
    const ids: string[] = [];
    for (let cursor: string | null = null; ; ) {
      const r = await reader.api.get(`/api/v1/kudos?limit=100${team ? `&team=${team}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status, r.text).to.equal(200);
      ids.push(...(r.body.items as { id: string }[]).map((k) => k.id));
      cursor = r.body.nextCursor as string | null;
      if (!cursor) return ids;
    }
  };
  const badge = (p: Page, s: 'online' | 'offline') => p.locator(`.live-badge[data-status="${s}"]`).waitFor({ timeout: 15_000 });
  /**
   * The reader's feed at `path`, loaded and live, with the reload its live connection asks for done.
   * `outrun`: the page's requests ignore aborts (answersOutrunAborts), so that the answers it gives
   * up on still come, and the test shows that it drops them by itself.
   */
  const openFeed = async (path: string, o: { outrun?: true } = {}): Promise<TestPage> => {
    const t = await suite.open(reader.api);
    if (o.outrun) await answersOutrunAborts(t.page);
    await t.page.goto(suite.server.url + path);
    await badge(t.page, 'online');
    await t.page.locator('article.kudos-card').first().waitFor();
    await t.page.waitForLoadState('networkidle');
    return t;
  };
  const pickTeam = async (p: Page, team: string) => {
    await p.getByLabel('Team').fill(team);
    await p.getByLabel('Team').press('Enter');
  };

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    reader = await buildUser(admin, { name: 'Rae Reader', team: 'Readers' });
    const alpha = [await buildUser(admin, { name: 'Al Alpha', team: 'Alpha' }), await buildUser(admin, { name: 'Ava Alpha', team: 'Alpha' })];
    beta = [await buildUser(admin, { name: 'Bo Beta', team: 'Beta' }), await buildUser(admin, { name: 'Bea Beta', team: 'Beta' }), await buildUser(admin, { name: 'Ben Beta', team: 'Beta' })];
    const gamma = [await buildUser(admin, { name: 'Gil Gamma', team: 'Gamma' }), await buildUser(admin, { name: 'Gia Gamma', team: 'Gamma' })];
    // Oldest first: a few Alpha, then more Beta than a page holds, the newest of them among Gamma's,
    // so that the newest page of the whole feed reaches further back than Beta's first page does.
    for (let i = 1; i <= 3; i++) await post(alpha[0]!.api, alpha[1]!.user.id, `Alpha ${i}`);
    for (let i = 1; i <= 24; i++) {
      await post(beta[i % 2]!.api, beta[2]!.user.id, `Beta ${i}`);
      if (i > 12 && i % 2 === 0) await post(gamma[0]!.api, gamma[1]!.user.id, `Gamma ${i / 2 - 6}`);
    }
  });

  it('a reconnect’s reload answered while a filter change is loading shows only the new filter’s kudos', async () => {
    const { page, context } = await openFeed('/?team=Alpha', { outrun: true });
    let n = 0;
    const next = await holdFeedAnswers(page, (u) => isFirstPage(u, 'Beta') && n++ === 0);
    await pickTeam(page, 'Beta');
    const filterLoad = await next();
    const reloaded = page.waitForResponse((r) => isFirstPage(new URL(r.url()), 'Beta'));
    await context.setOffline(true);
    await badge(page, 'offline');
    await context.setOffline(false);
    await reloaded;
    await page.waitForTimeout(500);
    const betaIds = await listed('Beta');
    expect((await shown(page)).filter((id) => !betaIds.includes(id as string)), 'kudos of the old filter on screen').to.deep.equal([]);
    expect(await filterLoad.release(), 'the filter change’s own answer, after the reload’s').to.equal('answered');
    await loadAll(page);
    expect(await shown(page)).to.deep.equal(betaIds);
  });

  for (const reloadFirst of [true, false]) {
    it(`a kudos removed while offline stays gone when a filter change and a reconnect’s reload answer ${reloadFirst ? 'newest first' : 'in order'}`, async () => {
      const { page, context } = await openFeed('/?team=Alpha', { outrun: true });
      const victim = (await listed('Beta'))[2] as string;
      let n = 0;
      const next = await holdFeedAnswers(page, (u) => isFirstPage(u, 'Beta') && n++ < (reloadFirst ? 1 : 2));
      await pickTeam(page, 'Beta');
      // Read by the server before the removal.
      const filterLoad = await next();
      await context.setOffline(true);
      await badge(page, 'offline');
      const r = await admin.delete(`/api/v1/kudos/${victim}`, { reason: 'Posted twice' });
      expect(r.status, r.text).to.equal(204);
      if (reloadFirst) {
        const reloaded = page.waitForResponse((res) => isFirstPage(new URL(res.url()), 'Beta'));
        await context.setOffline(false);
        await reloaded;
        await page.waitForTimeout(500);
        expect(await filterLoad.release()).to.equal('answered');
      } else {
        await context.setOffline(false);
        const reload = await next();
        expect(await filterLoad.release()).to.equal('answered');
        expect(await reload.release()).to.equal('answered');
      }
      expect(await shown(page), 'the removed kudos came back').to.not.include(victim);
      await loadAll(page);
      expect(await shown(page)).to.deep.equal(await listed('Beta'));
    });
  }

  it('keeps a live kudos that arrived while the new filter’s first page was loading', async () => {
    const { page } = await openFeed('/?team=Alpha');
    let n = 0;
    const next = await holdFeedAnswers(page, (u) => isFirstPage(u, 'Beta') && n++ === 0);
    await pickTeam(page, 'Beta');
    // Read by the server before the new kudos.
    const filterLoad = await next();
    const message = 'Beta, thanked while the filter was loading';
    const id = await post(beta[0]!.api, beta[2]!.user.id, message);
    await card(page, message).waitFor();
    await filterLoad.release();
    expect(await shown(page), 'the live kudos is gone').to.include(id);
    await loadAll(page);
    expect(await shown(page)).to.deep.equal(await listed('Beta'));
  });

  it('does not carry on with the old filter’s "Load more" cursor once the filter changed', async () => {
    const { page } = await openFeed('/?team=Beta');
    // Held: the whole feed's first page, and any "Load more" pressed before it answered.
    let holding = true;
    const next = await holdFeedAnswers(page, (u) => holding && (isFirstPage(u, null) || u.searchParams.has('cursor')));
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    const filterLoad = await next();
    // Pressed before the whole feed's first page came: it holds Beta's cursor.
    let older: Held | undefined;
    const loadMore = page.getByRole('button', { name: 'Load more' });
    if (await loadMore.isVisible()) {
      await loadMore.click();
      older = await Promise.race([next(), new Promise<undefined>((resolve) => setTimeout(resolve, 1000))]);
    }
    holding = false;
    await filterLoad.release();
    await older?.release();
    await loadAll(page);
    expect(await shown(page)).to.deep.equal(await listed(null));
  });

  for (const order of [[2, 1, 0], [1, 2, 0], [0, 1, 2]]) {
    it(`ends on the last filter picked when several are picked quickly and answered in the order ${order.join(', ')}`, async () => {
      // The answers to the filters left behind come all the same (an abort can come too late).
      const { page } = await openFeed('/', { outrun: true });
      const teams = ['Alpha', 'Beta', 'Gamma'];
      const next = await holdFeedAnswers(page, (u) => teams.some((t) => isFirstPage(u, t)));
      const held: Held[] = [];
      for (const team of teams) {
        await pickTeam(page, team);
        held.push(await next());
      }
      for (const i of order) expect(await held[i]!.release(), `the answer for ${teams[i]}`).to.equal('answered');
      expect(await shown(page)).to.deep.equal(await listed('Gamma'));
      expect(page.url()).to.contain('team=Gamma');
      expect(await page.getByLabel('Team').inputValue()).to.equal('Gamma');
    });
  }

  it('aborts the first-page load of a filter left behind, with no error, still loading the new filter', async () => {
    const { page } = await openFeed('/');
    const logged: string[] = [];
    page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
    const next = await holdFeedAnswers(page, (u) => isFirstPage(u, 'Alpha') || isFirstPage(u, 'Beta'));
    const alphaFailure = requestFailure(page, (u) => isFirstPage(u, 'Alpha'), 5000);
    await pickTeam(page, 'Alpha');
    const alphaLoad = await next();
    await pickTeam(page, 'Beta');
    const betaLoad = await next();
    expect(await alphaFailure, 'the Alpha load, once Beta is picked').to.equal('net::ERR_ABORTED');
    expect(await alphaLoad.release()).to.equal('aborted');
    // Beta's page is still out: the page still waits for it (no "Load more" for the old list), and says nothing of the abort.
    await page.waitForTimeout(300);
    expect(await page.getByRole('alert').count(), 'error messages').to.equal(0);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).to.equal(0);
    expect(await betaLoad.release()).to.equal('answered');
    const betaIds = await listed('Beta');
    expect(await shown(page)).to.deep.equal(betaIds.slice(0, 20));
    await loadAll(page);
    expect(await shown(page)).to.deep.equal(betaIds);
    expect(await page.getByRole('alert').count(), 'error messages').to.equal(0);
    expect(logged, 'console messages').to.deep.equal([]);
  });

  it('aborts a "Load more" of the old list when the filter changes, with no error', async () => {
    const { page } = await openFeed('/?team=Beta');
    const next = await holdFeedAnswers(page, (u) => u.searchParams.has('cursor'));
    const moreFailure = requestFailure(page, (u) => u.searchParams.has('cursor'), 5000);
    await page.getByRole('button', { name: 'Load more' }).click();
    const more = await next();
    await pickTeam(page, 'Alpha');
    expect(await moreFailure, 'Beta’s next page, once Alpha is picked').to.equal('net::ERR_ABORTED');
    expect(await more.release()).to.equal('aborted');
    const alphaIds = await listed('Alpha');
    await page.waitForFunction((n) => document.querySelectorAll('article.kudos-card').length === n, alphaIds.length);
    expect(await shown(page)).to.deep.equal(alphaIds);
    expect(await page.getByRole('alert').count(), 'error messages').to.equal(0);
  });
});
