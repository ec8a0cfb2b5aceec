import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, type TestPage, closeCheckedPages } from './browser-helpers.js';

/** Marks the window; if the page reloads, the mark is gone. */
const mark = (p: Page) => p.evaluate(() => ((window as unknown as { shineMark: number }).shineMark = 42));
const stillMarked = (p: Page) => p.evaluate(() => (window as unknown as { shineMark?: number }).shineMark === 42);
const card = (p: Page, text: string) => p.locator('article.kudos-card').filter({ hasText: text });

describe('browser: feed and TV wall, live', function () {
  this.timeout(90_000);
  let browser: Browser;
  let server: TestServer;
  let admin: Api;
  let giver: Awaited<ReturnType<typeof buildUser>>;
  let receiver: Awaited<ReturnType<typeof buildUser>>;
  let displayToken: string;
  const pages: TestPage[] = [];

  const open = async (api: Api | null, path: string): Promise<TestPage> => {
    const t = await openPage(browser);
    pages.push(t);
    if (api) await signIn(t.context, api);
    await t.page.goto(server.url + path);
    return t;
  };

  before(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    admin = await new Api(server.url).loginAdmin();
    giver = await buildUser(admin, { name: 'Alice Giver', team: 'Support' });
    receiver = await buildUser(admin, { name: 'Bruno Receiver', team: 'Sales' });
    const d = await admin.post('/api/v1/displays', { name: 'Lobby TV' });
    expect(d.status).to.equal(201);
    displayToken = d.body.token;
  });
  afterEach(async () => {
    await closeCheckedPages(pages);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a kudos written in the composer appears in a colleague’s open feed and on the TV wall, without reload', async () => {
    const tv = await open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    await tv.page.getByTestId('display-waiting').filter({ hasText: 'Waiting for the first kudos' }).waitFor();
    await screenshot(tv.page, 'display-waiting');
    const bob = await open(receiver.api, '/');
    await bob.page.locator('.live-badge[data-status="online"]').waitFor();
    const alice = await open(giver.api, '/');
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
    const alice = await open(giver.api, '/');
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
    const tv = await open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    await tv.page.locator('.tv-hero').waitFor();
    const bob = await open(receiver.api, '/');
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
    const bob = await open(receiver.api, '/');
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
