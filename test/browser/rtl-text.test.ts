import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, expectAccessible } from './browser-helpers.js';

/**
 * Right-to-left names, teams, behaviours, periods, messages and comments, as people type them:
 * each must be laid out in its own direction (a Hebrew message with its "!" on the left) and set
 * apart from the English around it (a list of Arabic names keeps its commas and its order).
 */
const RTL = {
  giver: 'نور الهدى',
  first: 'سلمى حداد',
  second: 'دانة لوي',
  manager: 'מנהלת הצוות',
  team: 'فريق الدعم',
  behaviour: 'الإصغاء الفعّال',
  group: 'خدمة العملاء',
  message: 'תודה רבה על העזרה עם הלקוח!',
  comment: 'شكرا جزيلا!',
  period: 'الربع الأول',
  display: 'מסך הלובי',
};

/**
 * Every visible text holding one of `texts` (hidden elements and the visually-hidden announcements
 * for screen readers aside): it must be the whole text of its element, and that element laid out
 * right to left, so it takes its own direction and cannot reorder what surrounds it.
 */
async function rtlProblems(page: Page, texts: readonly string[]): Promise<string[]> {
  return page.evaluate((wanted) => {
    const problems: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[hidden], .visually-hidden, script, style, template')) continue;
      for (const s of wanted) {
        if (!(n as Text).data.includes(s)) continue;
        // Where only plain text fits (an <option>, a notice), first-strong isolate characters do what <bdi> does.
        if ((n as Text).data.includes(`\u2068${s}\u2069`)) continue;
        const own = (el.textContent ?? '').trim();
        const where = `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}>`;
        if (own !== s) problems.push(`"${s}" shares ${where} with other text: "${own.slice(0, 80)}"`);
        else if (getComputedStyle(el).direction !== 'rtl') problems.push(`"${s}" in ${where} is laid out left to right`);
      }
    }
    return problems;
  }, texts);
}

async function expectRtlSetApart(page: Page, label: string, mustShow: readonly string[]): Promise<void> {
  for (const s of mustShow) await page.getByText(s).first().waitFor({ state: 'attached' });
  expect(await rtlProblems(page, Object.values(RTL)), label).to.deep.equal([]);
}

describe('browser: right-to-left text', function () {
  this.timeout(90_000);
  const suite = browserSuite();
  let admin: Api;
  let giver: Awaited<ReturnType<typeof buildUser>>;
  let first: Awaited<ReturnType<typeof buildUser>>;
  let manager: Awaited<ReturnType<typeof buildUser>>;
  let hr: Awaited<ReturnType<typeof buildUser>>;
  let periodName: string;
  let displayToken: string;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    manager = await buildUser(admin, { name: RTL.manager, team: RTL.team, role: 'manager' });
    giver = await buildUser(admin, { name: RTL.giver, team: RTL.team, managerId: manager.user.id });
    first = await buildUser(admin, { name: RTL.first, team: RTL.team, managerId: manager.user.id });
    const second = await buildUser(admin, { name: RTL.second, team: RTL.team, managerId: manager.user.id });
    hr = await buildUser(admin, { name: 'Rina Hr', team: 'People', role: 'hr' });
    const b = await hr.api.post('/api/v1/behaviours', { key: 'rtl-listening', group: RTL.group, name: RTL.behaviour, description: 'يستمع حتى النهاية', weight: 1 });
    expect(b.status, b.text).to.equal(201);
    const now = Date.now();
    periodName = RTL.period;
    const p = await hr.api.post('/api/v1/periods', { name: periodName, startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() });
    expect(p.status, p.text).to.equal(201);
    const k = await giver.api.post('/api/v1/kudos', { recipientIds: [first.user.id, second.user.id], behaviourKeys: ['rtl-listening'], message: RTL.message });
    expect(k.status, k.text).to.equal(201);
    expect((await first.api.post(`/api/v1/kudos/${k.body.id}/comments`, { message: RTL.comment })).status).to.equal(201);
    const tv = await admin.post('/api/v1/displays', { name: RTL.display, team: RTL.team });
    expect(tv.status, tv.text).to.equal(201);
    displayToken = tv.body.token;
  });

  it('sets names, behaviours, the message and comments apart on the feed, in their own direction', async () => {
    const { page } = await suite.open(first.api, `/?team=${encodeURIComponent(RTL.team)}`);
    const card = page.locator('article.kudos-card').first();
    await card.getByText(RTL.message).waitFor();
    await card.getByRole('button', { name: /1 comment/ }).click();
    await card.getByText(RTL.comment).waitFor();
    await expectRtlSetApart(page, 'feed', [RTL.giver, RTL.first, RTL.second, RTL.behaviour, RTL.message, RTL.comment]);
    // Two Arabic names in an English sentence keep their order: without isolation the comma between
    // them joins one right-to-left run and the second name is drawn first.
    const title = card.locator('.kudos-title');
    const left = async (name: string) => (await title.getByText(name, { exact: true }).boundingBox())!.x;
    expect(await left(RTL.first), 'the first recipient is drawn before the second').to.be.lessThan(await left(RTL.second));
    // The composer's search lists the person, and the recipient picked shows as a chip.
    const search = page.getByRole('combobox', { name: 'Who do you want to thank?' });
    await search.fill('دانة');
    await page.getByRole('option', { name: new RegExp(RTL.second) }).waitFor();
    await expectRtlSetApart(page, 'composer search', [RTL.second]);
    await search.press('Enter');
    await page.getByRole('list', { name: 'Recipients' }).getByText(RTL.second).waitFor();
    await expectRtlSetApart(page, 'composer recipients', [RTL.second]);
    // The person filter names the person picked.
    await page.goto(`${suite.server.url}/?recipient=${first.user.id}`);
    await card.getByText(RTL.message).waitFor();
    await page.locator('.person-filter').getByText(RTL.first).waitFor();
    await expectRtlSetApart(page, 'feed filtered by a person', [RTL.message]);
    await expectAccessible(page, 'feed with right-to-left text');
  });

  it('sets them apart on the TV wall, its stats strip included', async () => {
    const { page } = await suite.open(null, `/display?token=${encodeURIComponent(displayToken)}`);
    await page.locator('.tv-hero').getByText(RTL.message).waitFor();
    await page.getByTestId('display-stats').getByText(RTL.team).waitFor();
    await expectRtlSetApart(page, 'TV wall', [RTL.giver, RTL.first, RTL.second, RTL.behaviour, RTL.message, RTL.team]);
  });

  it('sets them apart on a profile', async () => {
    const { page } = await suite.open(giver.api, `/people/${first.user.id}`);
    await page.getByRole('heading', { name: RTL.first, level: 1 }).waitFor();
    await expectRtlSetApart(page, 'profile', [RTL.first, RTL.team, RTL.message, RTL.behaviour]);
    await expectAccessible(page, 'profile with right-to-left text');
  });

  it('sets them apart on a manager\'s scores, an explained breakdown included', async () => {
    const { page } = await suite.open(manager.api, '/scores');
    await page.getByRole('heading', { name: 'Your team' }).waitFor();
    await page.getByRole('button', { name: new RegExp(`Explain ${RTL.first}`) }).click();
    await page.locator('.breakdown-table').first().waitFor();
    await expectRtlSetApart(page, 'team scores', [RTL.first, RTL.giver, RTL.period]);
    await expectAccessible(page, 'scores with right-to-left text');
  });

  it('sets them apart on the HR pages: periods, scores, behaviours, displays and audit', async () => {
    const { page } = await suite.open(admin, '/hr#periods');
    const row = page.getByRole('row').filter({ hasText: periodName });
    await row.getByRole('button', { name: `Scores for ${periodName}` }).click();
    await page.getByRole('button', { name: new RegExp(`Explain ${RTL.first}`) }).click();
    await page.locator('.breakdown-table').first().waitFor();
    await expectRtlSetApart(page, 'hr scores', [RTL.period, RTL.first, RTL.giver]);
    await page.goto(`${suite.server.url}/hr#behaviours`);
    await expectRtlSetApart(page, 'hr behaviours', [RTL.group]);
    await page.goto(`${suite.server.url}/hr#displays`);
    await expectRtlSetApart(page, 'hr displays', [RTL.display, RTL.team]);
    await page.goto(`${suite.server.url}/hr#audit`);
    await expectRtlSetApart(page, 'hr audit', [RTL.manager]);
    await expectAccessible(page, 'hr audit with right-to-left text');
  });
});
