import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, expectAccessible } from './browser-helpers.js';

/** DELETE /kudos/:id lets a giver take back their own kudos for 15 minutes; the feed must offer it. */
describe('browser: deleting one’s own kudos from the feed', function () {
  this.timeout(60_000);
  const suite = browserSuite();
  let admin: Api;
  let mo: Awaited<ReturnType<typeof buildUser>>;
  let nia: Awaited<ReturnType<typeof buildUser>>;

  const post = async (from: typeof mo, to: typeof mo, message: string) => {
    const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['be-fair'], message });
    expect(r.status, r.text).to.equal(201);
    return r.body.id as string;
  };

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    mo = await buildUser(admin, { name: 'Mo Giver', team: 'Support' });
    nia = await buildUser(admin, { name: 'Nia Colleague', team: 'Sales' });
  });

  it('deletes my fresh kudos after a confirmation, takes it off a colleague’s feed too, and keeps the keyboard on the next card', async () => {
    const older = await post(mo, nia, 'An older one of mine');
    const theirs = await post(nia, mo, 'Nia thanks Mo');
    const mine = await post(mo, nia, 'Oops, wrong colleague');
    const { page } = await suite.open(mo.api, '/');
    const card = (id: string) => page.locator(`article[data-kudos-id="${id}"]`);
    await card(mine).waitFor();
    // Only my own kudos carries a "Delete"; a colleague's never does.
    expect(await card(theirs).getByRole('button', { name: 'Delete' }).count()).to.equal(0);
    const { page: colleague } = await suite.open(nia.api, '/');
    await colleague.locator(`article[data-kudos-id="${mine}"]`).waitFor();

    await card(mine).getByRole('button', { name: 'Delete' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this kudos?' });
    await dialog.waitFor();
    await expectAccessible(page, 'feed with the delete confirmation open');
    await dialog.getByRole('button', { name: 'Delete kudos' }).click();
    await card(mine).waitFor({ state: 'detached' });
    expect((await mo.api.get(`/api/v1/kudos/${mine}`)).status).to.equal(404);
    // The next card (Nia's, newest after mine) has the focus, and the deletion is announced.
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-kudos-id') === id, theirs);
    await page.locator('[aria-live="polite"]').filter({ hasText: 'Your kudos was deleted.' }).waitFor({ state: 'attached' });
    await colleague.locator(`article[data-kudos-id="${mine}"]`).waitFor({ state: 'detached' });
    expect(await card(older).count()).to.equal(1);
  });

  it('offers no "Delete" once the 15 minutes are over, and explains a refusal that arrives meanwhile', async () => {
    const id = await post(mo, nia, 'Posted a while ago');
    const { page } = await suite.open(mo.api);
    const card = page.locator(`article[data-kudos-id="${id}"]`);
    // The window ran out while the dialog was open: the server's 422 is said in the dialog.
    await page.route((u) => u.pathname === `/api/v1/kudos/${id}`, (r) =>
      r.request().method() === 'DELETE'
        ? r.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: { code: 'delete_window_passed', message: 'Too late.', details: [] } }) })
        : r.continue(),
    );
    await page.goto(suite.server.url + '/');
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete kudos' }).click();
    await page.getByRole('dialog').getByRole('alert').filter({ hasText: 'Kudos can only be deleted within 15 minutes of posting.' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await card.count()).to.equal(1);

    // Sixteen minutes on, the button has gone.
    await page.clock.install({ time: Date.now() + 16 * 60_000 });
    await page.reload();
    await card.waitFor();
    expect(await card.getByRole('button', { name: 'Delete' }).count()).to.equal(0);
  });
});
