/**
 * HR's pages with more people than a screen holds: a few hundred people imported in one CSV stand
 * in for a company of thousands (the figures at 10,000 are in docs/performance.md, "HR at scale").
 */
import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, expectAccessible, openPage } from './browser-helpers.js';

const DAY = 86_400_000;
const CROWD = 250;
const MANAGER_EMAIL = 'mona.many@scale.test';
/** "Crowd 007": zero-padded so that name order is number order. */
const crowdName = (i: number) => `Crowd ${String(i).padStart(3, '0')}`;

describe('browser: HR at scale', function () {
  this.timeout(90_000);
  const suite = browserSuite({ clock: true });
  let admin: Api;
  let hr: Awaited<ReturnType<typeof buildUser>>;
  let periodId: string;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    hr = await buildUser(admin, { name: 'Hana Resources', team: 'People', role: 'hr' });
    // One manager with every crowd member as a direct report: a large team on /scores too.
    const rows = ['name,email,team,manager_email,role', `Mona Many,${MANAGER_EMAIL},Crowd,,manager`];
    for (let i = 0; i < CROWD; i++) rows.push(`${crowdName(i)},crowd${i}@scale.test,Crowd,${MANAGER_EMAIL},`);
    const imported = await admin.post('/api/v1/users/import', rows.join('\n'), { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).to.equal(200);
    expect(imported.body.created).to.equal(CROWD + 1);
    const period = await hr.api.post('/api/v1/periods', {
      name: 'Scale month',
      startsAt: new Date(suite.clock.now() - 3 * DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
      endsAt: new Date(suite.clock.now() + DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
    });
    expect(period.status, period.text).to.equal(201);
    periodId = period.body.id;
  });

  it('draws the first hundred people of a period\'s scores, shows more on demand and finds anyone with the search', async () => {
    const { page } = await suite.open(hr.api, '/hr#periods');
    const row = page.locator(`tr[data-period-id="${periodId}"]`);
    await row.getByRole('button', { name: 'Scores for Scale month' }).click();
    const table = page.getByTestId('scores-table');
    const people = table.locator(':scope > tbody > tr:not(.breakdown-row)');
    await people.first().waitFor();
    const everyone = CROWD + 3; // the crowd, its manager, hr and the admin
    expect(await people.count()).to.equal(100);
    expect(await page.getByTestId('scores-shown').textContent()).to.contain(`Showing 100 of ${everyone} people`);
    await expectAccessible(page, 'hr scores, first hundred');

    const more = page.getByRole('button', { name: 'Show 100 more' });
    await more.focus();
    await page.keyboard.press('Enter');
    await people.nth(199).waitFor();
    expect(await people.count()).to.equal(200);
    // The keyboard carries on from the first person just drawn.
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.querySelector('th')?.textContent)).to.equal(await people.nth(100).locator('th').textContent());

    await page.getByRole('button', { name: `Show ${everyone - 200} more` }).click();
    await people.nth(everyone - 1).waitFor();
    expect(await page.getByTestId('scores-shown').count()).to.equal(0);

    // Someone the first hundred did not hold is one search away.
    await page.reload();
    await row.getByRole('button', { name: 'Scores for Scale month' }).click();
    await people.first().waitFor();
    await page.getByLabel('Find a person or team').fill(crowdName(CROWD - 1));
    await table.getByRole('link', { name: crowdName(CROWD - 1) }).waitFor();
    expect(await people.count()).to.equal(1);
  });

  it('draws a manager\'s large team a hundred at a time on /scores', async () => {
    // Imported people have no password: an admin gives the manager one to sign in with.
    const found = await admin.get(`/api/v1/users?q=${encodeURIComponent('Mona Many')}`);
    const monaId = (found.body.items as { id: string }[])[0]?.id as string;
    const set = await admin.patch(`/api/v1/users/${monaId}`, { password: 'mona-password-long' });
    expect(set.status, set.text).to.equal(200);
    const mona = await new Api(suite.server.url).login(MANAGER_EMAIL, 'mona-password-long');
    const { page } = await suite.open(mona, `/scores?period=${periodId}`);
    const team = page.getByRole('region', { name: /Your team: scores/ }).getByTestId('scores-table');
    const reports = team.locator(':scope > tbody > tr:not(.breakdown-row)');
    await reports.first().waitFor();
    expect(await reports.count()).to.equal(100);
    expect(await page.getByTestId('scores-shown').textContent()).to.contain(`Showing 100 of ${CROWD} people`);
    await page.getByLabel('Find a person or team').fill(crowdName(CROWD - 1));
    await team.getByRole('link', { name: crowdName(CROWD - 1) }).waitFor();
    expect(await reports.count()).to.equal(1);
  });

  it('says the payroll CSV is being prepared while an open period is worked out, and saves it once however often it is pressed', async () => {
    const { page } = await suite.open(hr.api, '/hr#periods');
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let asked = 0;
    await page.route('**/api/v1/periods/*/report.csv', async (route) => {
      asked++;
      const response = await route.fetch();
      await released;
      await route.fulfill({ response });
    });
    // Named "Download CSV for …", then "Preparing CSV… for …" while it works.
    const button = page.getByRole('button', { name: /^(Download|Preparing) CSV…? for Scale month$/ });
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await button.click();
    await page.getByRole('status').filter({ hasText: 'Preparing the payroll CSV for “Scale month”' }).waitFor();
    expect(await button.textContent()).to.contain('Preparing CSV…');
    expect(await button.getAttribute('aria-disabled')).to.equal('true');
    // Playwright refuses to click an aria-disabled button; a person can, so the clicks are dispatched.
    await button.dispatchEvent('click');
    await button.dispatchEvent('click');
    release();
    await page.getByRole('status').filter({ hasText: 'Downloaded shine-Scale-month.csv' }).waitFor();
    await page.waitForTimeout(300);
    expect(asked).to.equal(1);
    expect(downloads).to.deep.equal(['shine-Scale-month.csv']);
    expect(await button.textContent()).to.contain('Download CSV');
  });

  it('shows a period closed when a proxy gave up waiting for the close, and says so plainly when it is not closed yet', async () => {
    const created = await hr.api.post('/api/v1/periods', {
      name: 'Past month',
      startsAt: new Date(suite.clock.now() - 20 * DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
      endsAt: new Date(suite.clock.now() - 10 * DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
    });
    expect(created.status, created.text).to.equal(201);
    const { page } = await suite.open(hr.api, '/hr#periods');
    const row = page.locator(`tr[data-period-id="${created.body.id}"]`);
    const gatewayTimeout = { status: 504, contentType: 'text/html', body: '<html><body><h1>504 Gateway Time-out</h1></body></html>' };

    // The proxy gives up before Shine answered anything: the period is still open.
    await page.route('**/api/v1/periods/*/close', (route) => route.fulfill(gatewayTimeout));
    await row.getByRole('button', { name: /Close…/ }).click();
    const dialog = page.getByRole('dialog', { name: /Close “Past month”/ });
    await dialog.getByRole('button', { name: 'Close period for good' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Closing took longer than the connection allowed' }).waitFor();
    await page.unroute('**/api/v1/periods/*/close');

    // The proxy gives up while Shine goes on and closes it.
    await page.route('**/api/v1/periods/*/close', async (route) => {
      const done = await route.fetch();
      expect(done.status()).to.equal(200);
      await route.fulfill(gatewayTimeout);
    });
    await dialog.getByRole('button', { name: 'Close period for good' }).click();
    await row.getByText('Closed').waitFor();
    await page.getByRole('status').filter({ hasText: '“Past month” is closed' }).waitFor();
    expect(await dialog.count()).to.equal(0);
  });

  it('lists the first hundred people nobody has recognised in a period just begun, and more on demand', async () => {
    const created = await hr.api.post('/api/v1/periods', {
      name: 'Next month',
      startsAt: new Date(suite.clock.now() + 2 * DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
      endsAt: new Date(suite.clock.now() + 30 * DAY).toISOString().slice(0, 10) + 'T00:00:00.000Z',
    });
    expect(created.status, created.text).to.equal(201);
    const { page } = await suite.open(hr.api, '/hr#periods');
    await page.getByRole('button', { name: 'Insights for Next month' }).click();
    const everyone = CROWD + 3;
    for (const [testId, title] of [['received-nothing', 'Not recognised yet'], ['gave-nothing', 'Has not thanked anyone']] as const) {
      const block = page.getByTestId(testId);
      await block.getByRole('heading', { name: `${title} (${everyone})` }).waitFor();
      expect(await block.getByRole('listitem').count()).to.equal(100);
      expect(await block.textContent()).to.contain(`Showing 100 of ${everyone} people.`);
    }
    const received = page.getByTestId('received-nothing');
    await received.getByRole('button', { name: 'Show 100 more (Not recognised yet)' }).click();
    await received.getByRole('listitem').nth(199).waitFor();
    expect(await received.getByRole('listitem').count()).to.equal(200);
    expect(await page.getByTestId('gave-nothing').getByRole('listitem').count()).to.equal(100);
    await expectAccessible(page, 'insights of a period just begun');
  });

  it('imports thousands of people from a file and lists the first hundred of its many refused lines, more on demand', async () => {
    const rows = ['name,email,team'];
    for (let i = 0; i < 2000; i++) rows.push(i % 10 === 3 && i < 1500 ? `Bad ${i},not-an-email-${i},Imports` : `Imported ${i},imported${i}@scale.test,Imports`);
    const { page } = await suite.open(hr.api, '/hr#people');
    await page.getByLabel('CSV file').setInputFiles({ name: 'company.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await page.getByRole('button', { name: 'Import' }).click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.textContent()).to.contain('1850 created, 0 updated, 150 lines with errors');
    const refused = result.locator('tbody > tr');
    expect(await refused.count()).to.equal(100);
    expect(await result.textContent()).to.contain('Showing 100 of 150 lines not imported.');
    await result.getByRole('button', { name: 'Show 50 more' }).click();
    await refused.nth(149).waitFor();
    expect(await refused.nth(149).textContent()).to.contain('1495');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.contain('1005');
    await expectAccessible(page, 'import with many refused lines');
  });

  // Last: it adds 5,000 people.
  it('names people in the audit log however far down the alphabet they are, without reading the whole directory', async () => {
    const rows = ['name,email,team'];
    for (let i = 0; i < 5000; i++) rows.push(`Filler ${String(i).padStart(4, '0')},filler${i}@scale.test,Fillers`);
    rows.push('Zoe Zed,zoe@scale.test,Fillers');
    const imported = await admin.post('/api/v1/users/import', rows.join('\n'), { 'content-type': 'text/csv' });
    expect(imported.status, imported.text).to.equal(200);
    const zoe = (await admin.get('/api/v1/users?q=Zoe%20Zed')).body.items[0] as { id: string };
    expect((await admin.patch(`/api/v1/users/${zoe.id}`, { role: 'manager' })).status).to.equal(200);

    const t = await openPage(suite.browser, { as: hr.api, into: suite.pages });
    const listed: string[] = [];
    t.page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/v1/users') listed.push(url.search);
    });
    await t.page.goto(`${suite.server.url}/hr#audit`);
    const entry = t.page.getByRole('row').filter({ hasText: 'user role changed' }).first();
    await entry.getByText('Zoe Zed').waitFor();
    expect(await entry.textContent()).not.to.contain(zoe.id);
    // Names are read for the people shown, one by one, never by paging through everyone.
    expect(listed).to.deep.equal([]);
    await expectAccessible(t.page, 'audit log');
  });
});
