import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, expectAccessible, expectNoProblems, openPage, screenshot } from './browser-helpers.js';

describe('browser: login', function () {
  this.timeout(60_000);
  const suite = browserSuite();
  let admin: Api;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
  });

  it('sends a signed-out visitor to the login form, and back to the feed after signing in', async () => {
    const { user, password } = await buildUser(admin, { name: 'Lena Login', team: 'Support' });
    const t = await openPage(suite.browser);
    await t.page.goto(`${suite.server.url}/`);
    await t.page.waitForURL(/\/login\?next=/);
    await expectAccessible(t.page, 'login');
    await screenshot(t.page, 'login');

    await t.page.getByLabel('Work email').fill(user.email);
    await t.page.getByLabel('Password').fill('not the password');
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    expect(t.page.url()).to.match(/\/login/);

    await t.page.getByLabel('Password').fill(password);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.waitForURL(`${suite.server.url}/`);
    await t.page.getByTestId('session-name').filter({ hasText: 'Lena Login' }).waitFor();
    await t.page.getByRole('heading', { name: 'Thank a colleague' }).waitFor();
    expectNoProblems(t);
    await t.context.close();
  });

  it('signs out on the server too: the token the page held stops working', async () => {
    const { user, password } = await buildUser(admin, { name: 'Sid Signout', team: 'Support' });
    const t = await openPage(suite.browser);
    await t.page.goto(`${suite.server.url}/login`);
    await t.page.getByLabel('Work email').fill(user.email);
    await t.page.getByLabel('Password').fill(password);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.getByTestId('session-name').filter({ hasText: 'Sid Signout' }).waitFor();
    const token = await t.page.evaluate(() => localStorage.getItem('shine.token'));
    expect(token).to.be.a('string');
    expect((await admin.as(token).get('/api/v1/me')).status).to.equal(200);
    await t.page.getByRole('button', { name: 'Sign out' }).click();
    await t.page.waitForURL(/\/login/);
    expect(await t.page.evaluate(() => localStorage.getItem('shine.token'))).to.equal(null);
    expect((await admin.as(token).get('/api/v1/me')).status, 'a copied token is useless after signing out').to.equal(401);
    expectNoProblems(t);
    await t.context.close();
  });

  it('keeps keyboard focus on "Sign in" while it is signing in, then takes it to the reason it failed', async () => {
    const { user } = await buildUser(admin, { name: 'Kai Keyboard', team: 'Support' });
    const t = await openPage(suite.browser);
    // A slow answer, so the page can be looked at while the request is in flight.
    await t.page.route('**/api/v1/auth/login', async (r) => {
      await new Promise((done) => setTimeout(done, 800));
      await r.continue();
    });
    await t.page.goto(`${suite.server.url}/login`);
    await t.page.getByLabel('Work email').fill(user.email);
    await t.page.getByLabel('Password').fill('not the password');
    await t.page.getByRole('button', { name: 'Sign in' }).focus();
    await t.page.keyboard.press('Enter');
    await t.page.getByRole('button', { name: 'Signing in…' }).waitFor();
    expect(await t.page.evaluate(() => document.activeElement?.textContent?.trim())).to.equal('Signing in…');
    await t.page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await t.page.waitForFunction(() => document.activeElement?.id === 'login-error');
    expectNoProblems(t);
    await t.context.close();
  });

  it('does not follow an off-site next= after login', async () => {
    const { user, password } = await buildUser(admin);
    const t = await openPage(suite.browser);
    await t.page.goto(`${suite.server.url}/login?next=${encodeURIComponent('//evil.example/x')}`);
    await t.page.getByLabel('Work email').fill(user.email);
    await t.page.getByLabel('Password').fill(password);
    await t.page.getByRole('button', { name: 'Sign in' }).click();
    await t.page.waitForURL(`${suite.server.url}/`);
    await t.context.close();
  });
});
