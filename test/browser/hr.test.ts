import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, describedText, expectAccessible, INSECURE_HOST_ARGS, insecureUrl, launchBrowser, openPage, screenshot, closeCheckedPages } from './browser-helpers.js';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Presses a control with the keyboard, waits for `done`, and tells where focus is (a lost focus reads "BODY"). */
async function focusAfterPressing(page: Page, control: Locator, done: Locator): Promise<string> {
  await control.focus();
  await page.keyboard.press('Enter');
  await done.waitFor();
  await page.waitForTimeout(100);
  return page.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? 'BODY' : el.id || el.textContent?.trim() || el.tagName;
  });
}

describe('browser: HR pages', function () {
  this.timeout(90_000);
  const suite = browserSuite({ clock: true });
  let admin: Api;
  let hr: Awaited<ReturnType<typeof buildUser>>;
  let people: Awaited<ReturnType<typeof buildUser>>[];

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    hr = await buildUser(admin, { name: 'Hana Resources', team: 'People', role: 'hr' });
    people = [
      await buildUser(admin, { name: 'Dana Desk', team: 'Support' }),
      await buildUser(admin, { name: 'Eli Escalation', team: 'Support' }),
      await buildUser(admin, { name: 'Fay Field', team: 'Sales' }),
    ];
    const [dana, eli, fay] = people as [typeof hr, typeof hr, typeof hr];
    for (const [from, to, keys] of [
      [eli, dana, ['empathize', 'apologize']],
      [fay, dana, ['take-ownership']],
      [dana, eli, ['active-listening']],
      [eli, dana, ['keep-your-word']],
    ] as const) {
      const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: keys, message: `Thanks from ${from.user.name}` });
      expect(r.status, r.text).to.equal(201);
    }
  });

  it('creates a period, explains scores, refuses an early close, closes it with a clear confirmation and downloads the CSV', async () => {
    const { page } = await suite.open(hr.api, '/hr', { width: 1366, height: 1000 });
    await page.getByRole('heading', { name: 'Periods', exact: true }).waitFor();
    await page.getByLabel('Name').fill('Browser test month');
    await page.getByLabel('First day').fill(day(suite.clock.now() - 2 * DAY));
    await page.getByLabel('Last day (included)').fill(day(suite.clock.now()));
    await page.getByRole('button', { name: 'Create period' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Browser test month' });
    await row.getByText('Open').waitFor();

    // The table loads everyone's figures without their lines, and a row's lines once, when it is first opened.
    const asked: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname.endsWith('/scores')) asked.push(url.search);
    });
    await row.getByRole('button', { name: 'Scores for Browser test month' }).click();
    const scores = page.getByTestId('scores-table');
    const danaRow = scores.getByRole('row').filter({ hasText: 'Dana Desk' });
    await danaRow.waitFor();
    const dana = danaRow.getByRole('button', { name: /Dana Desk’s score/ });
    await dana.click();
    const breakdown = page.locator('.breakdown-row:not([hidden])');
    await breakdown.getByText('Eli Escalation').first().waitFor();
    await dana.click();
    await dana.click();
    await breakdown.getByText('Eli Escalation').first().waitFor();
    expect(asked).to.have.length(2);
    expect(asked[0]).to.equal('?breakdown=false');
    expect(asked[1]).to.match(/^\?user=[\w-]+$/);
    expect(await breakdown.textContent()).to.contain('repeat thanks from the same giver');
    expect(await breakdown.textContent()).to.contain('Empathize');
    // Scores and points read as the payroll CSV writes them: two decimals ("2.50", never "2.5").
    const periodId = await row.getAttribute('data-period-id');
    const scored = (await hr.api.get(`/api/v1/periods/${periodId}/scores`)).body.items as { user: { name: string }; score: number }[];
    const shown = await scores.locator(':scope > tbody > tr:not(.breakdown-row)').evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[2]?.textContent]));
    expect(shown).to.deep.equal(scored.map((i) => [i.user.name, i.score.toFixed(2)]));
    expect(await breakdown.locator('tfoot td').textContent()).to.equal(scored.find((i) => i.user.name === 'Dana Desk')?.score.toFixed(2));
    await expectAccessible(page, 'hr periods with a breakdown');
    await screenshot(page, 'hr');

    await row.getByRole('button', { name: 'Insights for Browser test month' }).click();
    const notRecognised = page.locator('.insight-block').filter({ hasText: 'Not recognised yet' });
    await notRecognised.getByText('Fay Field').waitFor();
    await expectAccessible(page, 'hr insights');

    // Not ended yet: the API refuses and the dialog says why.
    await row.getByRole('button', { name: /Close…/ }).click();
    const dialog = page.getByRole('dialog', { name: /Close “Browser test month”/ });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.match(/freezes.*cannot be undone/s);
    await expectAccessible(page, 'close dialog');
    await screenshot(page, 'hr-close-dialog');
    await dialog.getByRole('button', { name: 'Close period for good' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'has not ended yet' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    suite.clock.advance(2 * DAY);
    await row.getByRole('button', { name: /Close…/ }).click();
    await dialog.getByRole('button', { name: 'Close period for good' }).click();
    await row.getByText('Closed').waitFor();
    await page.getByRole('status').filter({ hasText: 'is closed' }).waitFor();
    expect(await row.getByRole('button', { name: /Close…/ }).count()).to.equal(0);

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download CSV for Browser test month' }).click()]);
    const bytes = readFileSync(await download.path());
    expect(download.suggestedFilename()).to.match(/\.csv$/);
    // The very bytes the server froze: the downloaded file matches the checksum it publishes.
    const fromApi = await hr.api.get(`/api/v1/periods/${await row.getAttribute('data-period-id')}/report.csv`);
    const sha = fromApi.headers.get('x-content-sha256');
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(sha);
    expect(bytes.toString('utf8')).to.contain('Dana Desk');
    await page.getByRole('status').filter({ hasText: `SHA-256 ${sha}` }).waitFor();
  });

  it('imports people from a CSV file and lists the lines it refused', async () => {
    const { page } = await suite.open(hr.api, '/hr#people');
    const csv = 'name,email,team,manager_email,role\nGus Green,gus@shine.test,Support,,employee\nNo Email,,Support,,\nHal Hue,hal@shine.test,Sales,,employee\n';
    await page.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.textContent()).to.match(/2 created/);
    expect(await result.getByRole('row').filter({ hasText: /^3/ }).count()).to.equal(1);
    await expectAccessible(page, 'hr import');
  });

  it('says why a whole CSV was refused: which column is missing, which lines cannot be read', async () => {
    const { page } = await suite.open(hr.api, '/hr#people');
    await page.getByLabel('Or paste the CSV').fill('name,e-mail,team\nJo Jones,jo@shine.test,Support\n');
    await page.getByRole('button', { name: 'Import' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('missing column email').waitFor();
    expect(await alert.textContent()).to.contain('unknown column e-mail');
    await expectAccessible(page, 'hr import refused');
  });

  it('lets an admin create a display (address and QR code shown once), and shows rules, catalog and audit accessibly', async () => {
    const { page } = await suite.open(admin, '/hr#displays', { width: 1366, height: 1000 });
    // The team field suggests the teams as their people spell them (a display matches a team exactly).
    await page.locator('#display-team-options option[value="Support"]').waitFor({ state: 'attached' });
    await page.getByLabel('Display name').fill('Lobby TV');
    await page.getByRole('button', { name: 'Create display' }).click();
    const created = page.getByTestId('created-display');
    await created.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await page.getByLabel('Display address').inputValue()).to.match(/\/display\?token=shd_/);
    await expectAccessible(page, 'hr displays');
    await screenshot(page, 'hr-display-created');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('button', { name: 'Revoke Lobby TV' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “Lobby TV”?' });
    await confirm.getByRole('button', { name: 'Revoke display' }).click();
    await page.getByRole('row').filter({ hasText: 'Lobby TV' }).getByText('Revoked').waitFor();

    for (const [hash, heading] of [['rules', 'Scoring rules'], ['behaviours', 'Behaviours'], ['audit', 'Audit log']] as const) {
      await page.getByRole('navigation', { name: 'HR sections' }).getByRole('link', { name: heading }).click();
      await page.waitForURL(new RegExp(`#${hash}$`));
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await expectAccessible(page, `hr ${hash}`);
      if (hash === 'rules') {
        // A rule the API refuses is explained next to the field it is about.
        await page.getByLabel('Score needed').nth(1).fill('1');
        await page.getByRole('button', { name: 'Save rules' }).click();
        await page.locator('.tier-row').nth(1).getByText('thresholds must be strictly ascending').waitFor();
      }
    }
    await page.getByRole('cell', { name: 'display created' }).first().waitFor();
  });

  it('shows a display going on air and its last-seen time without reloading the page', async () => {
    const { page } = await openPage(suite.browser, { viewport: { width: 1366, height: 1000 }, as: admin, into: suite.pages });
    await page.clock.install();
    await page.goto(`${suite.server.url}/hr#displays`);
    await page.getByLabel('Display name').fill('Reception TV');
    await page.getByRole('button', { name: 'Create display' }).click();
    const address = await page.getByLabel('Display address').inputValue();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Reception TV' });
    await row.getByText('Not connected').waitFor();
    expect(await row.getByRole('cell', { name: 'Never' }).count()).to.equal(1);

    // The admin opens the address on the TV, then looks back at the list; before the fix it said
    // "Not connected" and "Never" until the page was reloaded.
    const tv = await openPage(suite.browser, { viewport: { width: 1280, height: 720 }, into: suite.pages });
    await tv.page.goto(address);
    await tv.page.locator('.tv-hero').waitFor();
    await tv.page.locator('[data-testid="display-status"][data-status="online"]').waitFor({ state: 'attached' });
    let connected = false;
    for (let i = 0; i < 100 && !connected; i++) {
      connected = (await admin.get('/api/v1/displays')).body.items.some((d: { name: string; connected: boolean }) => d.name === 'Reception TV' && d.connected);
    }
    expect(connected, 'the server counts the TV as connected').to.equal(true);
    await page.clock.runFor(20_000);
    await row.getByText('On air').waitFor({ timeout: 5000 });
    expect(await row.getByRole('cell', { name: 'Never' }).count()).to.equal(0);
  });

  it('says a display another admin revoked meanwhile is revoked, instead of "not found"', async () => {
    const d = await admin.post('/api/v1/displays', { name: 'Meeting room TV' });
    expect(d.status, d.text).to.equal(201);
    const { page } = await suite.open(admin, '/hr#displays', { width: 1366, height: 1000 });
    await page.getByRole('button', { name: 'Revoke Meeting room TV' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “Meeting room TV”?' });
    await confirm.waitFor();
    // Another admin (another tab) revokes it while this dialog is open; before the fix the dialog
    // stayed open saying "display not found" and the list still offered to revoke it.
    expect((await admin.delete(`/api/v1/displays/${d.body.id}`)).status).to.equal(204);
    await confirm.getByRole('button', { name: 'Revoke display' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: '“Meeting room TV” was revoked.' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Meeting room TV' }).getByText('Revoked').waitFor();
  });

  it('warns about a team display whose team no one is in any more', async () => {
    expect((await admin.post('/api/v1/displays', { name: 'Old team TV', team: 'Renamed Away' })).status).to.equal(201);
    expect((await admin.post('/api/v1/displays', { name: 'Support wall', team: 'Support' })).status).to.equal(201);
    const { page } = await suite.open(admin, '/hr#displays', { width: 1366, height: 1000 });
    await page.getByRole('row').filter({ hasText: 'Old team TV' }).getByText('No one is in this team now').waitFor();
    await page.getByRole('row').filter({ hasText: 'Support wall' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Support wall' }).getByText('No one is in this team now').count()).to.equal(0);
    await expectAccessible(page, 'hr displays with a warning');
  });

  it('says which display field the server refused, and why', async () => {
    const { page } = await suite.open(admin, '/hr#displays', { width: 1366, height: 1000 });
    // Pasted from a document that carried a right-to-left override; before the fix the page said
    // only "The request body is invalid.", with no word of which field or why.
    await page.getByLabel('Display name').fill('Lobby\u202E TV');
    await page.getByRole('button', { name: 'Create display' }).click();
    await page.getByRole('alert').waitFor();
    const name = page.getByLabel('Display name');
    expect(await name.getAttribute('aria-invalid')).to.equal('true');
    const described = await describedText(name);
    expect(described).to.equal('must not contain text-direction control characters');
    await expectAccessible(page, 'hr display refused');
  });

  it('copies a new display\'s address on plain http, where the browser has no clipboard API', async () => {
    // Before the fix "Copy address" did nothing there, silently: navigator.clipboard is missing
    // outside a secure context, and the admin was left to find out by pasting.
    const plainHttp = await launchBrowser(INSECURE_HOST_ARGS);
    try {
      const { page } = await openPage(plainHttp, { as: admin, into: suite.pages, url: `${insecureUrl(suite.server.url)}/hr#displays` });
      expect(await page.evaluate(() => isSecureContext)).to.equal(false);
      await page.evaluate(() => {
        document.addEventListener('copy', () => document.body.setAttribute('data-copied', document.getSelection()?.toString() ?? ''));
      });
      await page.getByLabel('Display name').fill('Canteen TV');
      await page.getByRole('button', { name: 'Create display' }).click();
      const address = await page.getByLabel('Display address').inputValue();
      await page.getByRole('button', { name: 'Copy address' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.locator('body').getAttribute('data-copied')).to.equal(address);
    } finally {
      await closeCheckedPages(suite.pages);
      await plainHttp.close();
    }
  });

  it('ties a refused tier\'s error message to the tier field it is about', async () => {
    const { page } = await suite.open(hr.api, '/hr#rules');
    const threshold = page.getByLabel('Score needed').nth(1);
    await threshold.fill('1');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.locator('.tier-row').nth(1).getByText('thresholds must be strictly ascending').waitFor();
    expect(await threshold.getAttribute('aria-invalid')).to.equal('true');
    // What a screen reader reads out with the field: its description is the error.
    const description = await describedText(threshold);
    expect(description).to.contain('thresholds must be strictly ascending');
  });

  it('refuses an emptied rule or weight field instead of saving it as 0, and takes a decimal typed after clearing', async () => {
    const before = (await hr.api.get('/api/v1/scoring-rules')).body;
    const { page } = await suite.open(hr.api, '/hr#rules');
    const damping = page.getByLabel('Repeat thanks factor');
    await damping.fill('');
    await damping.pressSequentially('0.25');
    expect(await damping.inputValue()).to.equal('0.25');
    const minGivers = page.getByLabel('Minimum distinct givers to be eligible');
    await minGivers.fill('');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some rules have no number' }).waitFor();
    expect(await minGivers.getAttribute('aria-invalid')).to.equal('true');
    expect((await hr.api.get('/api/v1/scoring-rules')).body).to.deep.equal(before);

    await minGivers.fill('2');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('status').filter({ hasText: 'Rules saved' }).waitFor();
    const saved = (await hr.api.get('/api/v1/scoring-rules')).body;
    expect([saved.repeatPairDamping, saved.minDistinctGivers]).to.deep.equal([0.25, 2]);
    const { weights: _weights, ...rules } = before;
    expect((await hr.api.put('/api/v1/scoring-rules', rules)).status).to.equal(200);

    await page.goto(`${suite.server.url}/hr#behaviours`);
    await page.getByRole('button', { name: 'Edit Apologize' }).click();
    const weight = page.getByLabel('Scoring weight (0 to 5)');
    await weight.fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'weight from 0 to 5' }).waitFor();
    expect(await weight.getAttribute('aria-invalid')).to.equal('true');
    const apologize = (await hr.api.get('/api/v1/behaviours')).body.find((b: { key: string }) => b.key === 'apologize');
    expect(apologize.weight).to.equal(before.weights.apologize);
  });

  it('keeps keyboard focus on a button that is busy while its request is in flight', async () => {
    const { page } = await suite.open(hr.api, '/hr', { width: 1366, height: 1000 });
    await page.getByRole('heading', { name: 'Periods', exact: true }).waitFor();
    await page.getByLabel('Name').fill('Focus month');
    await page.getByLabel('First day').fill(day(suite.clock.now() + 400 * DAY));
    await page.getByLabel('Last day (included)').fill(day(suite.clock.now() + 420 * DAY));
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Create period' }), page.getByRole('status').filter({ hasText: 'Focus month' }))).to.equal('Create period');

    // A refused confirmation leaves the dialog open, and the keyboard on its button.
    await page.getByRole('button', { name: 'Close… Focus month' }).click();
    const dialog = page.getByRole('dialog', { name: /Close “Focus month”/ });
    expect(await focusAfterPressing(page, dialog.getByRole('button', { name: 'Close period for good' }), dialog.getByRole('alert'))).to.equal('Close period for good');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${suite.server.url}/hr#rules`);
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Save rules' }), page.getByRole('status').filter({ hasText: 'Rules saved' }))).to.equal('Save rules');

    await page.goto(`${suite.server.url}/hr#behaviours`);
    await page.getByRole('button', { name: 'Add a behaviour' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Focus keeper');
    await page.getByLabel('Group').fill('Focus');
    await page.getByLabel('Scoring weight (0 to 5)').fill('9');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Add behaviour' }), page.getByRole('alert'))).to.equal('Add behaviour');

    await page.goto(`${suite.server.url}/hr#people`);
    await page.getByLabel('Or paste the CSV').fill('name,email,team,manager_email,role\nIvy Ink,ivy@shine.test,Support,,employee\n');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Import' }), page.getByTestId('import-result'))).to.equal('Import');
  });

  it('takes keyboard focus to a remaining tier when a tier is removed', async () => {
    const { page } = await suite.open(hr.api, '/hr#rules');
    await page.getByRole('button', { name: 'Add a tier' }).click();
    const rows = page.locator('.tier-row');
    const count = await rows.count();
    expect(count).to.be.greaterThan(2);
    const removeWithKeyboard = async (n: number, left: number) => {
      const where = await focusAfterPressing(page, page.getByRole('button', { name: `Remove tier ${n}` }), rows.nth(left - 1));
      expect(await rows.count()).to.equal(left);
      return where;
    };
    // The last tier: its row goes, and the tier before it takes the keyboard.
    expect(await removeWithKeyboard(count, count - 1)).to.equal(`tier-name-${count - 2}`);
    // The first of two: the tier that moves up into its place takes the keyboard.
    while ((await rows.count()) > 2) await page.getByRole('button', { name: 'Remove tier 1' }).click();
    expect(await removeWithKeyboard(1, 1)).to.equal('tier-name-0');
  });

  it('takes keyboard focus to the new tier\'s name when "Add a tier" adds one', async () => {
    const { page } = await suite.open(hr.api, '/hr#rules');
    const rows = page.locator('.tier-row');
    await rows.first().waitFor();
    const add = page.getByRole('button', { name: 'Add a tier' });
    // Every added tier is where the keyboard carries on, the tenth too, when "Add a tier" turns disabled.
    for (let n = await rows.count(); n < 10; n++) {
      expect(await focusAfterPressing(page, add, rows.nth(n))).to.equal(`tier-name-${n}`);
    }
    expect(await add.isDisabled()).to.equal(true);
  });

  it('takes keyboard focus back to the button that opened a behaviour form once it is added or saved', async () => {
    const { page } = await suite.open(hr.api, '/hr#behaviours');
    await page.getByRole('button', { name: 'Add a behaviour' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Focus finder');
    await page.getByLabel('Group').fill('Focus');
    await page.getByLabel('Scoring weight (0 to 5)').fill('2');
    await page.getByLabel('Description').fill('Finds where the keyboard was.');
    // The form goes with the button pressed in it; the keyboard carries on from "Add a behaviour".
    const added = page.getByRole('status').filter({ hasText: 'Added “Focus finder”' });
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Add behaviour' }), added)).to.equal('add-behaviour');

    await page.getByRole('button', { name: 'Edit Focus finder' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Focus keeper found');
    const saved = page.getByRole('status').filter({ hasText: 'Saved “Focus keeper found”' });
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Save', exact: true }), saved)).to.equal('behaviour-edit-focus-finder');
  });

  it('keeps keyboard focus in a behaviour form while it opens and when it is cancelled', async () => {
    const { page } = await suite.open(hr.api, '/hr#behaviours');
    // The button pressed goes away with the form in its place: the keyboard starts in its first field.
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Add a behaviour' }), page.locator('#new-beh-name'))).to.equal('new-beh-name');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Cancel' }), page.getByRole('button', { name: 'Add a behaviour' }))).to.equal('add-behaviour');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Edit Empathize' }), page.locator('#edit-empathize-name'))).to.equal('edit-empathize-name');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Cancel' }), page.getByRole('button', { name: 'Edit Empathize' }))).to.equal('behaviour-edit-empathize');
  });

  it('says when a period\'s scores cannot be loaded and loads them with "Try again", the keyboard left on the heading above', async () => {
    const created = await hr.api.post('/api/v1/periods', { name: 'Retry month', startsAt: `${day(suite.clock.now() + 600 * DAY)}T00:00:00.000Z`, endsAt: `${day(suite.clock.now() + 620 * DAY)}T00:00:00.000Z` });
    expect(created.status, created.text).to.equal(201);
    const { page } = await suite.open(hr.api, '/hr', { width: 1280, height: 1000 });
    // The first request for its scores fails; any after it is answered.
    let asked = 0;
    await page.route(
      (url) => url.pathname === `/api/v1/periods/${created.body.id}/scores`,
      (route) => (++asked === 1 ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable.' } }) }) : route.continue()),
    );
    await page.getByRole('row').filter({ hasText: 'Retry month' }).getByRole('button', { name: 'Scores for Retry month' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'unavailable' });
    await failed.waitFor();
    await expectAccessible(page, 'hr period scores error');
    expect(asked, 'a failure is not asked again by itself').to.equal(1);
    await page.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('scores-table').getByRole('row').filter({ hasText: 'Dana Desk' }).waitFor();
    expect(asked).to.equal(2);
    expect(await failed.count()).to.equal(0);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).to.equal(0);
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('period-detail-title');
  });

  it('names each HR landmark uniquely: a section and the table box inside it do not share a name', async () => {
    const { page } = await suite.open(admin, '/hr', { width: 1366, height: 1000 });
    await page.getByLabel('Name').fill('Landmark month');
    await page.getByLabel('First day').fill(day(suite.clock.now() + 500 * DAY));
    await page.getByLabel('Last day (included)').fill(day(suite.clock.now() + 520 * DAY));
    await page.getByRole('button', { name: 'Create period' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Landmark month' });
    await row.waitFor();
    await expectAccessible(page, 'hr periods', ['landmark-unique']);
    await row.getByRole('button', { name: 'Scores for Landmark month' }).click();
    await page.getByTestId('scores-table').waitFor();
    await expectAccessible(page, 'hr period scores', ['landmark-unique']);
    await row.getByRole('button', { name: 'Insights for Landmark month' }).click();
    await page.locator('.insight-block').first().waitFor();
    await expectAccessible(page, 'hr period insights', ['landmark-unique']);

    await page.goto(`${suite.server.url}/hr#displays`);
    await page.getByLabel('Display name').fill('Landmark TV');
    await page.getByRole('button', { name: 'Create display' }).click();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('row').filter({ hasText: 'Landmark TV' }).waitFor();
    await expectAccessible(page, 'hr displays', ['landmark-unique']);

    await page.goto(`${suite.server.url}/hr#audit`);
    await page.getByRole('cell', { name: 'display created' }).first().waitFor();
    // Details read as words, not as a JSON object.
    const created = page.getByRole('row').filter({ hasText: 'display created' }).filter({ hasText: 'Landmark TV' });
    // Text values come isolated (src/web/lib/bidi.ts), invisibly.
    expect(await created.locator('.details').textContent()).to.equal('name: \u2068Landmark TV\u2069 · team: —');
    await expectAccessible(page, 'hr audit', ['landmark-unique']);
  });

  it('tells an employee the HR page is not for them', async () => {
    const { page } = await suite.open(people[0]!.api, '/hr');
    await page.getByText('This page is for HR and admins').waitFor();
    expect(await page.getByRole('link', { name: 'HR', exact: true }).count()).to.equal(0);
  });
});
