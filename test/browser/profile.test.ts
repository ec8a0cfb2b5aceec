import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, describedText, expectAccessible, screenshot } from './browser-helpers.js';

describe('browser: profile', function () {
  this.timeout(60_000);
  const suite = browserSuite();
  let gia: Awaited<ReturnType<typeof buildUser>>;
  let hugo: Awaited<ReturnType<typeof buildUser>>;

  before(async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
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

  it('shows kudos received and given and a readable chart of behaviours', async () => {
    const t = await suite.open(gia.api, `/people/${gia.user.id}`, { width: 1280, height: 1000 });
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
    const admin = await new Api(suite.server.url).loginAdmin();
    const jo = await buildUser(admin, { name: 'Jo Many', team: 'Support' });
    for (let i = 1; i <= 12; i++) {
      const r = await hugo.api.post('/api/v1/kudos', { recipientIds: [jo.user.id], behaviourKeys: ['empathize'], message: `Thanks number ${i}` });
      expect(r.status, r.text).to.equal(201);
    }
    const t = await suite.open(jo.api, `/people/${jo.user.id}`);
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
    const t = await suite.open(hugo.api, `/people/${gia.user.id}`);
    await t.page.getByRole('heading', { name: 'Gia Grant', level: 1 }).waitFor();
    await t.page.locator('figure').filter({ hasText: 'Behaviours in kudos received' }).locator('.bar-row').first().waitFor();
    expect(await t.page.getByTestId('received-total').textContent()).to.equal('3');
    // Counted from what Hugo can see (a private kudos to Gia would be missing): the page says so.
    await t.page.getByText('Counted from the kudos you can see.').waitFor();
  });

  it("shows a manager the profile of a report who has left Shine (their summary is the manager's to read), and no one else", async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    const mel = await buildUser(admin, { name: 'Mel Manager', team: 'Support', role: 'manager' });
    const rex = await buildUser(admin, { name: 'Rex Retired', team: 'Support', managerId: mel.user.id });
    expect((await hugo.api.post('/api/v1/kudos', { recipientIds: [rex.user.id], behaviourKeys: ['empathize'], message: 'Rex calmed an angry caller.' })).status).to.equal(201);
    expect((await admin.patch(`/api/v1/users/${rex.user.id}`, { active: false })).status).to.equal(200);
    expect((await mel.api.get(`/api/v1/users/${rex.user.id}/summary`)).status).to.equal(200);

    const t = await suite.open(mel.api, `/people/${rex.user.id}`);
    await t.page.getByRole('heading', { name: 'Rex Retired', level: 1 }).waitFor();
    await t.page.getByText('Support · no longer active').waitFor();
    expect(await t.page.getByTestId('received-total').textContent()).to.equal('1');
    await t.page.getByRole('region', { name: 'Received' }).getByText('Rex calmed an angry caller.').waitFor();
    await expectAccessible(t.page, 'a former report’s profile');

    // Anyone else still learns nothing about them.
    const other = await suite.open(gia.api, `/people/${rex.user.id}`);
    await other.page.getByText('No such person, or they are not visible to you.').waitFor();
    expect(await other.page.getByRole('heading', { name: 'Rex Retired' }).count()).to.equal(0);
  });

  describe('changing one’s password', () => {
    /** A person of their own, so changing a password never disturbs the other tests. */
    const freshPerson = async (name: string) => buildUser(await new Api(suite.server.url).loginAdmin(), { name, team: 'Support' });
    const form = (p: Page) => p.getByRole('region', { name: 'Change password' });
    const describedBy = (p: Page, label: string) => describedText(p.getByLabel(label, { exact: true }), ' | ');

    it('changes it from one’s own profile: the old password stops working, this tab and a feed tab of the same browser stay signed in', async () => {
      const kim = await freshPerson('Kim Keyes');
      const t = await suite.open(kim.api);
      // The same person's feed, open in another tab of the same browser, with its live connection.
      const feed = await t.context.newPage();
      await feed.goto(`${suite.server.url}/`);
      await feed.locator('.live-badge[data-status="online"]').waitFor();

      const p = t.page;
      await p.goto(`${suite.server.url}/people/${kim.user.id}`);
      await form(p).waitFor();
      await expectAccessible(p, 'own profile with the password form');
      expect(await p.getByLabel('Current password', { exact: true }).getAttribute('autocomplete')).to.equal('current-password');
      expect(await p.getByLabel('New password', { exact: true }).getAttribute('autocomplete')).to.equal('new-password');
      expect(await p.getByLabel('Confirm new password', { exact: true }).getAttribute('autocomplete')).to.equal('new-password');
      expect(await describedBy(p, 'New password')).to.contain('At least 12 characters');

      const fresh = 'a-brand-new-password-42';
      await p.getByLabel('Current password', { exact: true }).fill(kim.password);
      await p.getByLabel('New password', { exact: true }).fill(fresh);
      await p.getByLabel('Confirm new password', { exact: true }).fill(fresh);
      // Hold the answer back to see the busy state: the button stays focused and announces it.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      await p.route('**/api/v1/me', async (route) => {
        if (route.request().method() === 'PATCH') await held;
        await route.continue();
      });
      await form(p).getByRole('button', { name: 'Change password' }).focus();
      await p.keyboard.press('Enter');
      const busy = form(p).getByRole('button', { name: 'Changing password…' });
      await busy.waitFor();
      expect(await busy.getAttribute('aria-disabled')).to.equal('true');
      expect(await p.evaluate(() => document.activeElement?.textContent)).to.equal('Changing password…');
      release();
      await form(p).getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();
      expect(await p.evaluate(() => document.activeElement?.textContent), 'focus stays on the button').to.equal('Change password');
      expect(await p.getByLabel('Current password', { exact: true }).inputValue(), 'the fields are emptied').to.equal('');

      // Over the HTTP API: the old password and the old token are refused, the new password works.
      const anon = new Api(suite.server.url);
      expect((await anon.post('/api/v1/auth/login', { email: kim.user.email, password: kim.password })).status).to.equal(401);
      expect((await kim.api.get('/api/v1/me')).status, 'the old token is ended').to.equal(401);
      await anon.login(kim.user.email, fresh);

      // This tab holds the new token: a reload still shows the profile.
      await p.reload();
      await p.getByRole('heading', { name: 'Kim Keyes', level: 1 }).waitFor();
      expect(new URL(p.url()).pathname).to.equal(`/people/${kim.user.id}`);

      // The feed tab's connection was ended with the old token; it carries on with the new one.
      await hugo.api.post('/api/v1/kudos', { recipientIds: [kim.user.id], behaviourKeys: ['empathize'], message: 'Kim stayed calm with a furious caller.' }).then((r) => expect(r.status, r.text).to.equal(201));
      await feed.locator('article.kudos-card').filter({ hasText: 'Kim stayed calm with a furious caller.' }).waitFor();
      expect(new URL(feed.url()).pathname, 'the feed tab was not sent to /login').to.equal('/');
      await feed.close();
    });

    it('ties a wrong current password to that field and changes nothing', async () => {
      const lee = await freshPerson('Lee Lund');
      const t = await suite.open(lee.api);
      const p = t.page;
      await p.goto(`${suite.server.url}/people/${lee.user.id}`);
      await form(p).waitFor();
      await p.getByLabel('Current password', { exact: true }).fill('not-my-password-at-all');
      await p.getByLabel('New password', { exact: true }).fill('another-long-password');
      await p.getByLabel('Confirm new password', { exact: true }).fill('another-long-password');
      await form(p).getByRole('button', { name: 'Change password' }).click();
      const current = p.getByLabel('Current password', { exact: true });
      await p.waitForFunction(() => document.getElementById('password-current')?.getAttribute('aria-invalid') === 'true');
      expect(await describedBy(p, 'Current password')).to.contain('not correct');
      expect(await current.evaluate((el) => el === document.activeElement), 'focus goes to the field to fix').to.equal(true);
      expect(await p.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).to.equal(null);
      await expectAccessible(p, 'own profile with a refused password');
      // Nothing changed, and this tab is still signed in.
      await new Api(suite.server.url).login(lee.user.email, lee.password);
      expect((await lee.api.get('/api/v1/me')).status).to.equal(200);
      expect(new URL(p.url()).pathname).to.equal(`/people/${lee.user.id}`);
    });

    it('checks length and confirmation before sending anything', async () => {
      const max = await freshPerson('Max Moss');
      const t = await suite.open(max.api);
      const p = t.page;
      let patches = 0;
      p.on('request', (r) => {
        if (r.method() === 'PATCH' && new URL(r.url()).pathname === '/api/v1/me') patches++;
      });
      await p.goto(`${suite.server.url}/people/${max.user.id}`);
      await form(p).waitFor();
      await p.getByLabel('Current password', { exact: true }).fill(max.password);
      await p.getByLabel('New password', { exact: true }).fill('short');
      await p.getByLabel('Confirm new password', { exact: true }).fill('short');
      await form(p).getByRole('button', { name: 'Change password' }).click();
      await p.waitForFunction(() => document.getElementById('password-new')?.getAttribute('aria-invalid') === 'true');
      expect(await describedBy(p, 'New password')).to.contain('at least 12 characters');
      expect(await p.evaluate(() => document.activeElement?.id)).to.equal('password-new');

      await p.getByLabel('New password', { exact: true }).fill('long-enough-password-1');
      await p.getByLabel('Confirm new password', { exact: true }).fill('long-enough-password-2');
      await form(p).getByRole('button', { name: 'Change password' }).click();
      await p.waitForFunction(() => document.getElementById('password-confirm')?.getAttribute('aria-invalid') === 'true');
      expect(await describedBy(p, 'Confirm new password')).to.contain('do not match');
      expect(await p.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).to.equal(null);
      expect(await p.evaluate(() => document.activeElement?.id)).to.equal('password-confirm');
      expect(patches, 'nothing was sent').to.equal(0);
    });

    it('never shows the form on another person’s profile', async () => {
      const t = await suite.open(hugo.api, `/people/${gia.user.id}`);
      await t.page.getByRole('heading', { name: 'Gia Grant', level: 1 }).waitFor();
      await t.page.getByRole('region', { name: 'Received' }).locator('article.kudos-card').first().waitFor();
      expect(await form(t.page).count()).to.equal(0);
      expect(await t.page.locator('input[type="password"]').count()).to.equal(0);
      // …and it is there on one's own.
      await t.page.goto(`${suite.server.url}/people/${hugo.user.id}`);
      await form(t.page).waitFor();
    });
  });
});
