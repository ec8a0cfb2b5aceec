import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { buildManagerTeam } from '../support/manager-team.js';
import { buildTwoPeriods } from '../support/two-periods.js';
import { browserSuite, expectAccessible, requestFailure } from './browser-helpers.js';

type Person = Awaited<ReturnType<typeof buildUser>>;
interface ApiInsights { receivedNothing: { name: string }[]; gaveNothing: { name: string }[]; byTeam: { team: string; people: number; recipients: number; kudosReceived: number; gini: number }[] }

/** The names in one of the insights lists, as shown. */
const listed = (page: Page, testId: 'received-nothing' | 'gave-nothing') => page.getByTestId('team-insights').getByTestId(testId).locator('li a').allTextContents();

describe('browser: period insights, a manager\'s team on /scores and everyone on /hr', function () {
  this.timeout(90_000);
  let hr: Person;
  let manager: Person;
  let rae: Person;
  let sam: Person;
  let leo: Person;
  let currentId: string;
  let closedId: string;
  const suite = browserSuite({ clock: true });

  const insightsOf = async (periodId: string) => {
    const r = await manager.api.get(`/api/v1/periods/${periodId}/insights?scope=reports`);
    expect(r.status, r.text).to.equal(200);
    return r.body as ApiInsights;
  };

  before(async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    // Mia Manager with her reports Rae and Sam (Support); Nia Outside (Sales) is not in her team.
    ({ hr, manager, rae, sam } = await buildManagerTeam(admin));
    // Reports in a second team, Sales; one of them deactivated.
    leo = await buildUser(admin, { name: 'Leo Sales', team: 'Sales', managerId: manager.user.id });
    const gone = await buildUser(admin, { name: 'Gus Gone', team: 'Sales', managerId: manager.user.id });
    expect((await hr.api.patch(`/api/v1/users/${gone.user.id}`, { active: false })).status).to.equal(200);

    // "Last quarter", closed, and "This month", under way.
    ({ closedId, currentId } = await buildTwoPeriods(hr.api, suite.clock.now()));

    // Sam thanks Rae, Rae thanks the manager: Leo neither receives nor gives, Sam receives nothing,
    // and the manager (who received one and gave none) is not one of their own reports.
    for (const [from, to] of [
      [sam, rae],
      [rae, manager],
    ] as const) {
      const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['empathize'], message: `Thanks from ${from.user.name}` });
      expect(r.status, r.text).to.equal(201);
    }
  });

  it('lists exactly the reports who received or gave nothing, and the per-team evenness, as the API answers them', async () => {
    const { page } = await suite.open(manager.api, '/scores', { width: 1280, height: 1000 });
    const card = page.getByTestId('team-insights');
    await card.getByRole('heading', { name: 'Team recognition', level: 2 }).waitFor();
    await card.getByTestId('received-nothing').getByRole('heading', { name: 'Not recognised yet (2)', level: 3 }).waitFor();
    const api = await insightsOf(currentId);
    expect(await listed(page, 'received-nothing')).to.deep.equal(api.receivedNothing.map((p) => p.name));
    expect(await listed(page, 'received-nothing')).to.deep.equal(['Leo Sales', 'Sam Staff']);
    expect(await listed(page, 'gave-nothing')).to.deep.equal(['Leo Sales']);
    const text = (await card.textContent()) ?? '';
    for (const outsider of ['Mia Manager', 'Nia Outside', 'Gus Gone', 'Hana Resources']) expect(text, outsider).not.to.contain(outsider);
    const rows = await card.getByTestId('insights-by-team').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows).to.deep.equal(api.byTeam.map((t) => [t.team, String(t.people), `${t.recipients} of ${t.people}`, String(t.kudosReceived), t.gini.toFixed(2)]));
    expect(rows).to.deep.equal([
      ['Sales', '1', '0 of 1', '0', '0.00'],
      ['Support', '2', '1 of 2', '1', '0.50'],
    ]);
    await expectAccessible(page, 'manager team insights');
  });

  it('follows the period picked: a closed period without kudos lists every report, with no "yet"', async () => {
    const { page } = await suite.open(manager.api, `/scores?period=${currentId}`, { width: 1280, height: 1000 });
    const received = page.getByTestId('team-insights').getByTestId('received-nothing');
    await received.getByRole('heading', { name: 'Not recognised yet (2)' }).waitFor();
    await page.getByLabel('Period').selectOption(closedId);
    await received.getByRole('heading', { name: 'Not recognised (3)' }).waitFor();
    expect(await listed(page, 'received-nothing')).to.deep.equal(['Leo Sales', 'Rae Report', 'Sam Staff']);
    expect(await listed(page, 'gave-nothing')).to.deep.equal(['Leo Sales', 'Rae Report', 'Sam Staff']);
    expect(await page.getByTestId('team-insights').textContent()).to.contain('unlike the scores above, which were frozen at close');
    await expectAccessible(page, 'manager team insights, closed period');
  });

  it('on /hr, shows the insights of the period picked last, giving up on the one before: not a slower answer for it, not an error from it', async () => {
    const { page } = await suite.open(hr.api, '/hr', { width: 1280, height: 1000 });
    const button = (name: string) => page.getByRole('button', { name: `Insights for ${name}` });
    const heading = page.locator('.insight-block').first().getByRole('heading');
    await button('Last quarter').click();
    await heading.filter({ hasText: /^Not recognised \(\d+\)$/ }).waitFor();
    const closedHeading = await heading.textContent();

    // This month's answer is held while Last quarter is picked again: the page gives up on it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/v1/periods/${currentId}/insights`, async (route) => {
      const res = await route.fetch();
      await held;
      // Answered late if the page still waits for it (Playwright drops it for a request given up on).
      await route.fulfill({ response: res });
    });
    const thisMonthFailure = requestFailure(page, (u) => u.pathname === `/api/v1/periods/${currentId}/insights`);
    await button('This month').click();
    await page.getByText('Loading insights…').waitFor();
    await button('Last quarter').click();
    await page.getByRole('heading', { name: 'Last quarter: insights' }).waitFor();
    await heading.filter({ hasText: closedHeading ?? '' }).waitFor();
    release();
    expect(await thisMonthFailure, 'the request for This month is aborted once Last quarter is picked').to.equal('net::ERR_ABORTED');
    // Give the page every chance to fold a late answer or an error in (it must not).
    await page.waitForTimeout(300);
    expect(await heading.textContent()).to.equal(closedHeading);
    expect(await page.getByRole('alert').count(), 'no error shown for the request given up on').to.equal(0);
    await page.unroute(`**/api/v1/periods/${currentId}/insights`);

    // A failure for one period is that period's: picking another shows its insights.
    await page.route(`**/api/v1/periods/${closedId}/insights`, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable.' } }) }));
    await button('This month').click();
    await heading.filter({ hasText: /^Not recognised yet/ }).waitFor();
    await button('Last quarter').click();
    const failed = page.getByRole('alert').filter({ hasText: 'unavailable' });
    await failed.waitFor();
    await button('This month').click();
    await heading.filter({ hasText: /^Not recognised yet/ }).waitFor();
    expect(await failed.count()).to.equal(0);
    await page.unroute(`**/api/v1/periods/${closedId}/insights`);
  });

  it('says when insights cannot be loaded and loads them with "Try again", on /hr and in a manager\'s team card, the keyboard left on the heading above', async () => {
    const unavailable = { status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'Storage is unavailable.' } }) };
    /** Fails the first request for `periodId`'s insights, answers the ones after; counts them all. */
    const failOnce = async (page: Page, periodId: string) => {
      const asked = { count: 0 };
      await page.route(
        (url) => url.pathname === `/api/v1/periods/${periodId}/insights`,
        (route) => (++asked.count === 1 ? route.fulfill(unavailable) : route.continue()),
      );
      return asked;
    };

    const h = await suite.open(hr.api, '/hr', { width: 1280, height: 1000 });
    const hrAsked = await failOnce(h.page, closedId);
    await h.page.getByRole('button', { name: 'Insights for Last quarter' }).click();
    const hrFailed = h.page.getByRole('alert').filter({ hasText: 'unavailable' });
    await hrFailed.waitFor();
    await expectAccessible(h.page, 'hr insights error');
    expect(hrAsked.count, 'a failure is not asked again by itself').to.equal(1);
    await h.page.getByRole('button', { name: 'Try again' }).focus();
    await h.page.keyboard.press('Enter');
    await h.page.locator('.insight-block').first().getByRole('heading', { name: /^Not recognised \(\d+\)$/ }).waitFor();
    expect(hrAsked.count).to.equal(2);
    expect(await hrFailed.count()).to.equal(0);
    expect(await h.page.getByRole('button', { name: 'Try again' }).count()).to.equal(0);
    expect(await h.page.evaluate(() => document.activeElement?.id)).to.equal('period-detail-title');

    const m = await suite.open(manager.api, `/scores?period=${currentId}`, { width: 1280, height: 1000 });
    const mAsked = await failOnce(m.page, currentId);
    const card = m.page.getByTestId('team-insights');
    // The scores above load; only the card says its part failed, and offers to ask again.
    await card.getByRole('alert').filter({ hasText: 'unavailable' }).waitFor();
    await m.page.getByRole('heading', { name: 'Your team' }).waitFor();
    await expectAccessible(m.page, 'manager team insights error');
    await card.getByRole('button', { name: 'Try again' }).click();
    await card.getByTestId('received-nothing').getByRole('heading', { name: 'Not recognised yet (2)', level: 3 }).waitFor();
    expect(await listed(m.page, 'received-nothing')).to.deep.equal(['Leo Sales', 'Sam Staff']);
    expect(mAsked.count).to.equal(2);
    expect(await card.getByRole('alert').count()).to.equal(0);
    expect(await m.page.evaluate(() => document.activeElement?.id)).to.equal('team-insights-title');
  });

  it('goes from the period picker to a listed report and opens their profile from the keyboard', async () => {
    const { page } = await suite.open(manager.api, `/scores?period=${currentId}`, { width: 1280, height: 1000 });
    await page.getByTestId('team-insights').getByTestId('gave-nothing').locator('li').first().waitFor();
    await page.getByLabel('Period').focus();
    let inList = false;
    for (let i = 0; i < 40 && !inList; i++) {
      await page.keyboard.press('Tab');
      inList = await page.evaluate(() => document.activeElement?.closest('[data-testid="received-nothing"]') !== null);
    }
    expect(inList, 'Tab reaches the list of reports not recognised').to.equal(true);
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Leo Sales');
    await Promise.all([page.waitForURL(`**/people/${leo.user.id}`), page.keyboard.press('Enter')]);
    await page.getByRole('heading', { name: 'Leo Sales', level: 1 }).waitFor();
  });

  it('says a manager with no reports has no team, without an insights card claiming everyone was thanked', async () => {
    const lone = await buildUser(hr.api, { name: 'Lou Lonely', team: 'Ops' });
    const promoted = await new Api(suite.server.url).loginAdmin();
    expect((await promoted.patch(`/api/v1/users/${lone.user.id}`, { role: 'manager' })).status).to.equal(200);
    const api = await new Api(suite.server.url).login(lone.user.email, lone.password);
    const { page } = await suite.open(api, '/scores');
    await page.getByText('No one reports to you in Shine yet').waitFor();
    expect(await page.getByTestId('team-insights').count()).to.equal(0);
    expect(await page.getByText('Everyone received at least one kudos').count()).to.equal(0);
    // The API agrees: nobody in scope.
    const r = await api.get(`/api/v1/periods/${currentId}/insights?scope=reports`);
    expect(r.body).to.deep.include({ receivedNothing: [], gaveNothing: [], byTeam: [] });
    await expectAccessible(page, 'manager without reports');
  });

  for (const width of [360, 1280]) {
    it(`fits the team insights at ${width} px wide`, async () => {
      const { page } = await suite.open(manager.api, `/scores?period=${currentId}`, { width, height: 800 });
      const card = page.getByTestId('team-insights');
      await card.getByTestId('insights-by-team').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(width);
      const box = await card.boundingBox();
      expect(box && box.x + box.width, 'the card is within the screen').to.be.at.most(width);
      await expectAccessible(page, `manager team insights at ${width} px`);
    });
  }
});
