import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, describedText, expectAccessible } from './browser-helpers.js';

describe('browser: team suggestions and editing a TV display', function () {
  this.timeout(90_000);
  const suite = browserSuite();
  let admin: Api;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
  });

  it('offers a team whose only people come after the first 100 of the directory, in the feed filters and the displays panel', async () => {
    // 101 people who sort before everyone else ("Aa…"), then the only member of "Zulu Night".
    const rows = Array.from({ length: 101 }, (_, i) => `Aaron ${String(i).padStart(3, '0')},aaron${i}.${process.pid}@shine.test,Crowd,,`);
    rows.push(`Zora Late,zora.${process.pid}@shine.test,Zulu Night,,`);
    const imported = await admin.request('POST', '/api/v1/users/import', `name,email,team,manager_email,role\n${rows.join('\n')}\n`, { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).to.equal(200);
    expect(imported.body.created).to.equal(102);
    const firstHundred = await admin.get('/api/v1/users?limit=100');
    expect(firstHundred.body.items.map((u: { team: string }) => u.team), 'the premise: not among the first 100').not.to.include('Zulu Night');

    const feed = await suite.open(admin, '/');
    await feed.page.locator('#filter-team-options option[value="Zulu Night"]').waitFor({ state: 'attached' });
    const offered = await feed.page.locator('#filter-team-options option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).to.deep.equal(['Admin', 'Crowd', 'Zulu Night']);

    const hr = await suite.open(admin, '/hr#displays');
    await hr.page.locator('#display-team-options option[value="Zulu Night"]').waitFor({ state: 'attached' });
  });

  it('lets an admin re-point a display at another team in a dialog, and the wall on air follows it', async () => {
    const [ana, ben, cy] = [
      await buildUser(admin, { name: 'Ana Support', team: 'Support' }),
      await buildUser(admin, { name: 'Ben Support', team: 'Support' }),
      await buildUser(admin, { name: 'Cy Sales', team: 'Sales' }),
    ];
    const created = await admin.post('/api/v1/displays', { name: 'Floor TV', team: 'Support' });
    expect(created.status, created.text).to.equal(201);
    const give = async (from: typeof ana, to: typeof ana, message: string) => {
      const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['empathize'], message });
      expect(r.status, r.text).to.equal(201);
    };

    const tv = await suite.open(null, `/display?token=${encodeURIComponent(created.body.token)}`, { width: 1280, height: 720 });
    await tv.page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached' });
    await give(ana, ben, 'Support thanks before the move');
    await tv.page.locator('.tv-hero').getByText('Support thanks before the move').waitFor();

    const { page } = await suite.open(admin, '/hr#displays', { width: 1366, height: 1000 });
    const row = page.getByRole('row').filter({ hasText: 'Floor TV' });
    await row.getByRole('button', { name: 'Edit Floor TV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit “Floor TV”' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('edit-display-name');
    expect(await dialog.getByLabel('Display name').inputValue()).to.equal('Floor TV');
    expect(await dialog.getByLabel('Only this team (optional)').inputValue()).to.equal('Support');
    await expectAccessible(page, 'edit display dialog');

    // Escape leaves everything as it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Edit Floor TV' }).click();

    // A refused name is pointed out next to its field, and the dialog stays open.
    await dialog.getByLabel('Display name').fill('Floor\u202E TV');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.getByRole('alert').waitFor();
    const name = dialog.getByLabel('Display name');
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    const described = await describedText(name);
    expect(described).to.equal('must not contain text-direction control characters');
    await expectAccessible(page, 'edit display dialog with a refused name');

    // Typed fast, in lower case: stored as the team's people spell it.
    await name.fill('Sales floor TV <b>');
    await dialog.getByLabel('Only this team (optional)').fill('sales');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: '“Sales floor TV <b>” was saved: it shows Sales.' }).waitFor();
    const moved = page.getByRole('row').filter({ hasText: 'Sales floor TV <b>' });
    await moved.getByRole('cell', { name: 'Sales', exact: true }).waitFor();
    expect(await page.locator('b', { hasText: 'TV' }).count(), 'the name is text, not HTML').to.equal(0);

    // The same screen, with the same address, now shows Sales and no longer Support.
    await give(ana, ben, 'Support thanks after the move');
    await give(ana, cy, 'Sales thanks after the move');
    await tv.page.locator('.tv-hero').getByText('Sales thanks after the move').waitFor({ timeout: 10_000 });
    expect(await tv.page.getByText('Support thanks after the move').count()).to.equal(0);
    expect(await tv.page.getByTestId('display-revoked').count()).to.equal(0);
  });
});
