import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { buildManagerTeam } from '../support/manager-team.js';
import { buildTwoPeriods } from '../support/two-periods.js';
import { browserSuite, expectAccessible, requestFailure, screenshot } from './browser-helpers.js';

type Person = Awaited<ReturnType<typeof buildUser>>;
interface ApiLine { giverId: string | null; private?: true; points: number }
interface ApiScore { user: { id: string; name: string }; score: number; breakdown: ApiLine[] }

/** The rows of the team's scores table (breakdown rows left out) as [name, score] texts. */
const tableRows = (page: Page) =>
  page.getByTestId('scores-table').locator(':scope > tbody > tr:not(.breakdown-row)').evaluateAll((trs) => trs.map((tr) => [tr.children[0]?.textContent, tr.children[2]?.textContent]));

/** A breakdown's lines as [from, points] texts. */
const breakdownLines = (table: ReturnType<Page['locator']>) => table.locator(':scope > tbody > tr').evaluateAll((trs) => trs.map((tr) => [tr.children[1]?.textContent, tr.children[5]?.textContent]));

describe('browser: scores for managers and employees (/scores)', function () {
  this.timeout(90_000);
  let hr: Person;
  let manager: Person;
  let rae: Person;
  let sam: Person;
  let nia: Person;
  let currentId: string;
  let closedId: string;
  const suite = browserSuite({ clock: true });

  const scoresOf = async (api: Api, periodId: string) => {
    const r = await api.get(`/api/v1/periods/${periodId}/scores`);
    expect(r.status, r.text).to.equal(200);
    return r.body.items as ApiScore[];
  };

  before(async () => {
    // Mia Manager with her reports Rae and Sam (Support); Nia Outside (Sales) is not in her team.
    ({ hr, manager, rae, sam, nia } = await buildManagerTeam(await new Api(suite.server.url).loginAdmin()));
    // "Last quarter", closed, and "This month", under way: the kudos below fall in This month.
    ({ closedId, currentId } = await buildTwoPeriods(hr.api, suite.clock.now()));

    for (const [from, to, keys, visibility] of [
      [sam, rae, ['empathize'], 'public'],
      // Private between two people other than the manager: the manager sees its points, not its giver.
      [nia, rae, ['take-ownership', 'apologize'], 'private'],
      [sam, rae, ['keep-your-word'], 'public'],
      [rae, sam, ['active-listening'], 'public'],
      [sam, manager, ['be-fair'], 'public'],
      [rae, nia, ['empathize'], 'public'],
    ] as const) {
      const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: keys, message: `Thanks from ${from.user.name}`, visibility });
      expect(r.status, r.text).to.equal(201);
    }
  });

  it('shows a manager their own score and their reports\' rows and breakdowns, as the API answers them, and no one else', async () => {
    const { page } = await suite.open(manager.api, '/scores', { width: 1280, height: 1000 });
    await page.getByRole('heading', { name: 'My team', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My team' }).getAttribute('aria-current')).to.equal('page');
    // The open period under way is picked first.
    expect(await page.getByLabel('Period').inputValue()).to.equal(currentId);
    const api = await scoresOf(manager.api, currentId);
    expect(api.map((s) => s.user.name)).to.have.members(['Mia Manager', 'Rae Report', 'Sam Staff']);

    const own = page.getByTestId('own-score');
    await own.getByRole('heading', { name: 'Your score' }).waitFor();
    expect(await own.getByTestId('own-score-value').textContent()).to.equal(api.find((s) => s.user.id === manager.user.id)?.score.toFixed(2));
    expect(await own.locator('.breakdown-table tbody').textContent()).to.contain('Sam Staff');

    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    const reports = api.filter((s) => s.user.id !== manager.user.id);
    expect(await tableRows(page)).to.deep.equal(reports.map((s) => [s.user.name, s.score.toFixed(2)]));
    expect(await page.getByTestId('scores-table').textContent()).not.to.contain('Nia Outside');

    const explain = page.getByRole('button', { name: /Explain Rae Report/ });
    await explain.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('button', { name: /Hide Rae Report/ }).getAttribute('aria-expanded')).to.equal('true');
    const breakdown = page.locator('.breakdown-row:not([hidden]) .breakdown-table');
    await breakdown.waitFor();
    const raeApi = reports.find((s) => s.user.id === rae.user.id) as ApiScore;
    const hidden = raeApi.breakdown.filter((l) => l.giverId === null);
    expect(hidden, 'the API hides the private line\'s giver from the manager').to.have.length(1);
    expect(hidden[0]?.private).to.equal(true);
    expect(await breakdownLines(breakdown)).to.deep.equal(
      raeApi.breakdown.map((l) => [l.giverId === null ? 'Private kudos (giver not shown)' : 'Sam Staff', l.points.toFixed(2)]),
    );
    expect(await breakdown.locator('tfoot td').textContent()).to.equal(raeApi.score.toFixed(2));
    expect(await breakdown.textContent()).not.to.contain('Nia');
    expect(await breakdown.textContent()).to.contain('Take ownership');
    await page.getByTestId('private-note').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.contain('Hide');
    await expectAccessible(page, 'manager scores with a breakdown');
    await screenshot(page, 'team-scores', true);

    // A closed period says it is final, and its scores are still there to read; the new
    // scores arrive without taking the keyboard away from the picker.
    await page.getByLabel('Period').focus();
    await page.getByLabel('Period').selectOption(closedId);
    await page.getByTestId('period-facts').getByText('Closed').waitFor();
    expect(await page.getByTestId('period-facts').textContent()).to.contain('Final: frozen when HR closed the period');
    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('period-select');
    expect(page.url()).to.contain(`period=${closedId}`);
    await expectAccessible(page, 'manager scores, closed period');
  });

  it('shows an employee their own score explained, with the private kudos they received in full, and nobody else', async () => {
    const { page } = await suite.open(rae.api, '/scores', { width: 390, height: 844 });
    await page.getByRole('heading', { name: 'My score', level: 1 }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'My score' }).getAttribute('aria-current')).to.equal('page');
    expect(await nav.getByRole('link', { name: 'HR' }).count()).to.equal(0);
    const api = await scoresOf(rae.api, currentId);
    expect(api.map((s) => s.user.id)).to.deep.equal([rae.user.id]);
    const own = page.getByTestId('own-score');
    await own.waitFor();
    expect(await own.getByTestId('own-score-value').textContent()).to.equal(api[0]?.score.toFixed(2));
    // The lines are read once the figures are shown.
    await own.locator('.breakdown-table').waitFor();
    const lines = await breakdownLines(own.locator('.breakdown-table'));
    expect(lines.map((l) => l[0])).to.have.members(['Sam Staff', 'Nia Outside', 'Sam Staff']);
    expect(await page.getByTestId('scores-table').count()).to.equal(0);
    expect(await page.getByRole('heading', { name: 'Your team' }).count()).to.equal(0);
    // The page fits a phone: nothing but the table's own scroll box is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await expectAccessible(page, 'employee score on a phone');
    await screenshot(page, 'my-score-phone', true);
  });

  it('fits a manager\'s team and a breakdown on a phone, one block per row, points and total in view', async () => {
    const { page } = await suite.open(manager.api, '/scores', { width: 390, height: 844 });
    await page.getByRole('button', { name: /Explain Rae Report/ }).click();
    const breakdown = page.locator('.breakdown-row:not([hidden]) .breakdown-table');
    await breakdown.getByText('Private kudos').waitFor();
    // Closed breakdowns stay closed when rows stack.
    expect(await page.locator('.breakdown-row[hidden]').evaluateAll((rows) => rows.map((r) => getComputedStyle(r).display))).to.deep.equal(['none']);
    const total = breakdown.locator('tfoot td');
    const box = await total.boundingBox();
    expect(box && box.x + box.width, 'the total is on screen').to.be.at.most(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await expectAccessible(page, 'manager scores on a phone');
    await screenshot(page, 'team-scores-phone', true);
  });

  it('shows the page in the navigation to employees and managers, not to hr (who have HR), and points a manager there from /hr', async () => {
    const { page } = await suite.open(hr.api, '/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'HR' }).waitFor();
    expect(await nav.getByRole('link', { name: /My team|My score|Scores/ }).count()).to.equal(0);

    const m = await suite.open(manager.api, '/hr');
    await m.page.getByText('This page is for HR and admins').waitFor();
    await m.page.getByRole('main').getByRole('link', { name: 'Your team’s scores' }).click();
    await m.page.getByRole('heading', { name: 'My team', level: 1 }).waitFor();
  });

  it('says when scores cannot be loaded, tries again from the keyboard, and says when there are no periods', async () => {
    const t = await suite.open(manager.api, '/scores');
    const { page } = t;
    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    await page.route('**/api/v1/periods/*/scores?*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable.' } }) }));
    await page.getByLabel('Period').selectOption(closedId);
    await page.getByRole('alert').filter({ hasText: 'unavailable' }).waitFor();
    await expectAccessible(page, 'scores error');
    await page.unroute('**/api/v1/periods/*/scores?*');
    await page.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('period-select');

    // Names are text, never markup, wherever they come from.
    const evil = '<img src=x onerror="window.__owned=1">Rae';
    await page.route('**/api/v1/periods/*/scores?*', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items: ApiScore[] };
      for (const s of body.items) if (s.user.id === rae.user.id) s.user.name = evil;
      await route.fulfill({ response: res, json: body });
    });
    await page.getByLabel('Period').selectOption(currentId);
    await page.getByTestId('scores-table').getByRole('link', { name: evil }).waitFor();
    expect(await page.locator('main img').count()).to.equal(0);
    expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).to.equal(undefined);
    await page.unroute('**/api/v1/periods/*/scores?*');

    // A breakdown's lines are read when it opens: a failure says so in the row and can be asked again.
    await page.route('**/api/v1/periods/*/scores?user=*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable.' } }) }));
    await page.reload();
    await page.getByRole('button', { name: /Explain Rae Report/ }).click();
    const failed = page.locator('.breakdown-row:not([hidden])').getByRole('alert');
    await failed.filter({ hasText: 'unavailable' }).waitFor();
    await page.unroute('**/api/v1/periods/*/scores?user=*');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.locator('.breakdown-row:not([hidden]) .breakdown-table').getByText('Private kudos').waitFor();

    const e = await suite.open(sam.api, '/scores');
    await e.page.route('**/api/v1/periods?*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ items: [], nextCursor: null }) }));
    await e.page.reload();
    await e.page.getByText('No bonus periods yet').waitFor();
    await expectAccessible(e.page, 'scores without periods');
  });

  it('shows the scores of the period picked last, giving up on the one before: never its scores under its name, nor a slower answer for it, nor an error from it', async () => {
    const { page } = await suite.open(manager.api, `/scores?period=${closedId}`);
    const status = page.getByRole('status').filter({ hasText: /^Scores for / });
    await status.filter({ hasText: 'Scores for Last quarter shown.' }).waitFor({ state: 'attached' });
    const closedRows = await tableRows(page);
    // Every text the status line takes, however briefly: a screen reader hears each one.
    await page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { __heard: string[] }).__heard = heard;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('main [role="status"]')) if (el.textContent) heard.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    // This month's answer is held while Last quarter is picked again: the page gives up on it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const thisMonth = (u: URL) => u.pathname === `/api/v1/periods/${currentId}/scores` && u.searchParams.get('breakdown') === 'false';
    await page.route(thisMonth, async (route) => {
      const res = await route.fetch();
      await held;
      // Answered late if the page still waits for it (Playwright drops it for a request given up on).
      await route.fulfill({ response: res });
    });
    const thisMonthFailure = requestFailure(page, thisMonth);
    await page.getByLabel('Period').selectOption(currentId);
    await page.getByText('Loading scores for This month…').waitFor({ state: 'attached' });
    await page.getByLabel('Period').selectOption(closedId);
    await status.filter({ hasText: 'Scores for Last quarter shown.' }).waitFor({ state: 'attached' });
    release();
    expect(await thisMonthFailure, 'the request for This month is aborted once Last quarter is picked').to.equal('net::ERR_ABORTED');
    // Give the page every chance to fold a late answer or an error in (it must not).
    await page.waitForTimeout(300);
    expect(await status.textContent()).to.equal('Scores for Last quarter shown.');
    expect(await tableRows(page)).to.deep.equal(closedRows);
    expect(await page.getByRole('alert').count(), 'no error shown for the request given up on').to.equal(0);
    const heard = await page.evaluate(() => (window as unknown as { __heard: string[] }).__heard);
    expect(heard, 'This month was never answered, so never said to be shown').not.to.include('Scores for This month shown.');
    expect(heard).to.include('Loading scores for This month…');
    await page.unroute(thisMonth);
  });

  // Last: it adds a kudos to Rae's current score.
  it("names a giver who has left Shine from the API's line, and falls back to the directory for a line without a name", async () => {
    const dee = await buildUser(hr.api, { name: 'Dee Departed', team: 'Sales' });
    expect((await dee.api.post('/api/v1/kudos', { recipientIds: [rae.user.id], behaviourKeys: ['empathize'], message: 'Before I go' })).status).to.equal(201);
    expect((await hr.api.patch(`/api/v1/users/${dee.user.id}`, { active: false })).status).to.equal(200);
    const { page } = await suite.open(manager.api, '/scores', { width: 1280, height: 1000 });
    const explainRae = async () => {
      await page.getByRole('button', { name: /Explain Rae Report/ }).click();
      const breakdown = page.locator('.breakdown-row:not([hidden]) .breakdown-table');
      await breakdown.getByText('Private kudos').waitFor();
      return (await breakdownLines(breakdown)).map((l) => l[0]);
    };
    expect(await explainRae()).to.include('Dee Departed').and.not.to.include('Someone no longer in Shine');

    // An older server, or a period closed before lines carried names: the directory names whom it can.
    await page.route('**/api/v1/periods/*/scores?*', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { items: { breakdown: Record<string, unknown>[] }[] };
      for (const s of body.items) for (const l of s.breakdown) delete l.giverName;
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    const names = await explainRae();
    expect(names).to.include('Sam Staff').and.to.include('Someone no longer in Shine');
    expect(names).not.to.include('Dee Departed');
  });
});
