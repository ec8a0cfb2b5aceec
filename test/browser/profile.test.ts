import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, type TestPage, closeCheckedPages } from './browser-helpers.js';

describe('browser: profile', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: TestServer;
  let gia: Awaited<ReturnType<typeof buildUser>>;
  let hugo: Awaited<ReturnType<typeof buildUser>>;
  const pages: TestPage[] = [];

  before(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    const admin = await new Api(server.url).loginAdmin();
    gia = await buildUser(admin, { name: 'Gia Grant', team: 'Support' });
    hugo = await buildUser(admin, { name: 'Hugo Hart', team: 'Onboarding' });
    const ivy = await buildUser(admin, { name: 'Ivy Ito', team: 'Sales' });
    const give = (from: typeof gia, to: typeof gia, keys: string[], message: string) =>
      from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: keys, message }).then((r) => expect(r.status, r.text).to.equal(201));
    await give(hugo, gia, ['active-listening', 'empathize'], 'Gia let the customer explain everything before answering.');
    await give(ivy, gia, ['active-listening'], 'Gia caught the real problem behind the ticket.');
    await give(hugo, gia, ['take-ownership', 'active-listening'], 'Gia followed the refund through three teams.');
    await give(gia, hugo, ['thank-customers'], 'Hugo thanked every customer on the call personally.');
  });
  afterEach(async () => {
    await closeCheckedPages(pages);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows kudos received and given and a readable chart of behaviours', async () => {
    const t = await openPage(browser, { viewport: { width: 1280, height: 1000 } });
    pages.push(t);
    await signIn(t.context, gia.api);
    await t.page.goto(`${server.url}/people/${gia.user.id}`);
    await t.page.getByRole('heading', { name: 'Gia Grant', level: 1 }).waitFor();
    expect(await t.page.getByTestId('received-total').textContent()).to.equal('3');
    const chart = t.page.locator('figure').filter({ hasText: 'Behaviours in kudos received' });
    const first = chart.locator('.bar-row').first();
    await first.waitFor();
    expect(await first.locator('.bar-label').textContent()).to.equal('Active listening');
    expect(await first.locator('.bar-value').textContent()).to.equal('3');
    await t.page.getByRole('region', { name: 'Received' }).getByText('Gia followed the refund through three teams.').waitFor();
    await t.page.getByRole('region', { name: 'Given' }).getByText('Hugo thanked every customer').waitFor();
    expect(await t.page.getByText(/Counted from/).count(), 'her own summary: exact counts, no note').to.equal(0);
    await expectAccessible(t.page, 'profile');
    await screenshot(t.page, 'profile');
  });

  it('moves keyboard focus to the first kudos loaded when "Load more" reaches the end and goes away', async () => {
    const admin = await new Api(server.url).loginAdmin();
    const jo = await buildUser(admin, { name: 'Jo Many', team: 'Support' });
    for (let i = 1; i <= 12; i++) {
      const r = await hugo.api.post('/api/v1/kudos', { recipientIds: [jo.user.id], behaviourKeys: ['empathize'], message: `Thanks number ${i}` });
      expect(r.status, r.text).to.equal(201);
    }
    const t = await openPage(browser);
    pages.push(t);
    await signIn(t.context, jo.api);
    await t.page.goto(`${server.url}/people/${jo.user.id}`);
    const received = t.page.getByRole('region', { name: 'Received' });
    await received.locator('article.kudos-card').nth(9).waitFor();
    await received.getByRole('button', { name: 'Load more' }).focus();
    await t.page.keyboard.press('Enter');
    await t.page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 12);
    expect(await received.getByRole('button', { name: 'Load more' }).count()).to.equal(0);
    const firstNew = await received.locator('article.kudos-card').nth(10).getAttribute('data-kudos-id');
    await t.page.waitForFunction((id) => document.activeElement?.getAttribute('data-kudos-id') === id, firstNew, { timeout: 2000 });
  });

  it('shows a colleague’s profile from the kudos the viewer can see', async () => {
    const t = await openPage(browser);
    pages.push(t);
    await signIn(t.context, hugo.api);
    await t.page.goto(`${server.url}/people/${gia.user.id}`);
    await t.page.getByRole('heading', { name: 'Gia Grant', level: 1 }).waitFor();
    await t.page.locator('figure').filter({ hasText: 'Behaviours in kudos received' }).locator('.bar-row').first().waitFor();
    expect(await t.page.getByTestId('received-total').textContent()).to.equal('3');
    // Counted from what Hugo can see (a private kudos to Gia would be missing): the page says so.
    await t.page.getByText('Counted from the kudos you can see.').waitFor();
  });
});
