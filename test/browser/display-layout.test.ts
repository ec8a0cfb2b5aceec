import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, screenshot } from './browser-helpers.js';

/** Where each part of the hero sits, against the hero's own box (what is outside is clipped). */
async function heroParts(page: Page) {
  // No named helpers inside evaluate: tsx would wrap them in a __name() the page does not have.
  return page.locator('.tv-hero').evaluate((hero) => {
    const box = hero.getBoundingClientRect();
    const parts = ['.tv-eyebrow', '.tv-recipients', '.tv-chips', '.tv-message-text'].map((sel) => {
      const r = (hero.querySelector(sel) as HTMLElement).getBoundingClientRect();
      return [sel, { top: r.top, bottom: r.bottom, height: r.height }] as const;
    });
    return { box: { top: box.top, bottom: box.bottom }, parts: Object.fromEntries(parts) };
  });
}

describe('browser: TV wall, a crowded kudos', function () {
  this.timeout(60_000);
  const suite = browserSuite();

  for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }, { width: 1280, height: 720 }]) {
    it(`shows the giver, every recipient, the behaviours and the message inside the screen at ${viewport.width}×${viewport.height}`, async () => {
      const admin = await new Api(suite.server.url).loginAdmin();
      const giver = await buildUser(admin, { name: 'Kenji Tanaka' });
      const names = ['Maximilian Alexander Wolfgang von Hohenzollern-Sigmaringen', 'Siobhán Ní Bhriain-Fitzgerald', 'Nguyễn Văn An Thái', 'Oscar Wilde-Smith-Worthington', 'Dāvis Bērziņš', 'Çağla Yılmaz-Öztürk'];
      const recipients = await Promise.all(names.map((name) => buildUser(admin, { name })));
      const message = 'Thank you all for an outstanding week on the Ortiz escalation. '.repeat(16).slice(0, 1000);
      const r = await giver.api.post('/api/v1/kudos', {
        recipientIds: recipients.map((x) => x.user.id),
        behaviourKeys: ['positive-first-contact', 'establish-rapport', 'no-waiting', 'no-rushing', 'thank-customers'],
        message,
      });
      expect(r.status, r.text).to.equal(201);
      const token = (await admin.post('/api/v1/displays', { name: `Crowded ${viewport.width}` })).body.token as string;

      const t = await suite.open(null, `/display?token=${encodeURIComponent(token)}`, viewport);
      await t.page.locator(`.tv-hero[data-kudos-id="${r.body.id}"]`).waitFor();
      await screenshot(t.page, `display-crowded-${viewport.width}`);
      // Before the fix the six names pushed everything else out of the box: the giver was cut off
      // at the top and the message squeezed to nothing below.
      const { box, parts } = await heroParts(t.page);
      for (const [name, p] of Object.entries(parts)) {
        expect(p.height, `${name} has no height`).to.be.greaterThan(0);
        expect(p.top, `${name} starts above the hero`).to.be.at.least(box.top - 1);
        expect(p.bottom, `${name} ends below the hero`).to.be.at.most(box.bottom + 1);
      }
      // A short kudos keeps the full size (nothing to shrink).
      const short = await giver.api.post('/api/v1/kudos', { recipientIds: [(recipients[4] as (typeof recipients)[number]).user.id], behaviourKeys: ['thank-customers'], message: 'Thanks!' });
      expect(short.status, short.text).to.equal(201);
      await t.page.locator(`.tv-hero[data-kudos-id="${short.body.id}"]`).waitFor();
      const fit = await t.page.locator('.tv-hero').evaluate((el) => getComputedStyle(el).getPropertyValue('--tv-fit').trim());
      expect(fit).to.equal('1');
    });
  }

  /** Each part's box against the box of `within` (what is outside is clipped). */
  async function partsInside(page: Page, within: string, selectors: string[]) {
    return page.locator(within).evaluate((box, sels) => {
      const b = box.getBoundingClientRect();
      return sels.map((sel) => {
        const r = (box.querySelector(sel) as HTMLElement).getBoundingClientRect();
        return { sel, height: r.height, inside: r.top >= b.top - 1 && r.bottom <= b.bottom + 1 };
      });
    }, selectors);
  }

  for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    it(`names the first of twenty long-named recipients and counts the rest, in the hero and among the earlier kudos, at ${viewport.width}×${viewport.height}`, async () => {
      const admin = await new Api(suite.server.url).loginAdmin();
      const giver = await buildUser(admin, { name: 'Grace Giver' });
      // Twenty names at the 120-character limit: before the fix the hero stopped shrinking with the
      // names alone filling it (behaviours and message cut off), and among the earlier kudos the
      // names filled the whole column, hiding the giver, the message and every kudos below.
      const recipients = await Promise.all(Array.from({ length: 20 }, (_, i) => buildUser(admin, { name: `${'Maximiliane Alexandra Wolfgang-Hohenzollern '.repeat(3).slice(0, 116)} ${String(i).padStart(2, '0')}` })));
      const post = async (recipientIds: string[], message: string) => {
        const r = await giver.api.post('/api/v1/kudos', { recipientIds, behaviourKeys: ['empathize', 'apologize', 'take-ownership', 'win-win', 'timely-response'], message });
        expect(r.status, r.text).to.equal(201);
        return r.body.id as string;
      };
      const older = await post([(recipients[0] as (typeof recipients)[number]).user.id], 'Thanks for the calm handover.');
      const crowded = await post(recipients.map((x) => x.user.id), 'A week on the Ortiz escalation, handled together. '.repeat(20).slice(0, 1000));
      const token = (await admin.post('/api/v1/displays', { name: `Twenty ${viewport.width}` })).body.token as string;

      const t = await suite.open(null, `/display?token=${encodeURIComponent(token)}`, viewport);
      await t.page.locator(`.tv-hero[data-kudos-id="${crowded}"]`).waitFor();
      await screenshot(t.page, `display-twenty-${viewport.width}`);
      for (const p of await partsInside(t.page, '.tv-hero', ['.tv-eyebrow', '.tv-recipients', '.tv-chips', '.tv-message-text', '.tv-meta'])) {
        expect(p.height, `${p.sel} has no height`).to.be.greaterThan(0);
        expect(p.inside, `${p.sel} is cut off in the hero`).to.equal(true);
      }
      expect(await t.page.locator('.tv-recipients').textContent()).to.match(/and 1[0-9] others$/);

      // A newer kudos takes the hero; the crowded one moves to the earlier kudos, above the older one.
      const newest = await post([(recipients[1] as (typeof recipients)[number]).user.id], 'Thanks!');
      await t.page.locator(`.tv-hero[data-kudos-id="${newest}"]`).waitFor();
      const item = `.tv-recent-item[data-kudos-id="${crowded}"]`;
      expect(await t.page.locator(`${item} .tv-recent-who`).textContent()).to.match(/and 1[0-9] others from Grace Giver$/);
      for (const sel of [`${item} .tv-recent-who`, `${item} .tv-recent-message`, `.tv-recent-item[data-kudos-id="${older}"] .tv-recent-message`]) {
        const [p] = await partsInside(t.page, '.tv-recent', [sel]);
        expect(p?.inside, `${sel} is cut off among the earlier kudos`).to.equal(true);
      }
    });
  }

  it('wraps a long name without spaces instead of cutting it off at the edge of the screen, at 1280×720', async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    // 120 letters, no space: a long compound, or a name in a script written without spaces.
    const giver = await buildUser(admin, { name: 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfalt'.slice(0, 120) });
    const bo = await buildUser(admin, { name: 'Bo Chen' });
    const ids: string[] = [];
    for (const message of ['The older one.', 'The newer one.']) {
      const r = await giver.api.post('/api/v1/kudos', { recipientIds: [bo.user.id], behaviourKeys: ['empathize'], message });
      expect(r.status, r.text).to.equal(201);
      ids.push(r.body.id as string);
    }
    const token = (await admin.post('/api/v1/displays', { name: 'Long name TV' })).body.token as string;
    const t = await suite.open(null, `/display?token=${encodeURIComponent(token)}`, { width: 1280, height: 720 });
    await t.page.locator(`.tv-hero[data-kudos-id="${ids[1]}"]`).waitFor();
    await t.page.locator(`.tv-recent-item[data-kudos-id="${ids[0]}"]`).waitFor();
    // Before the fix the giver's name ran off the right edge, in the hero and among the earlier kudos.
    const wider = await t.page.evaluate(() =>
      [...document.querySelectorAll('.tv-hero *, .tv-recent *')].flatMap((el) => {
        const box = (el.closest('.tv-hero, .tv-recent') as HTMLElement).getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.right > box.right + 1 ? [`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}, its box at ${Math.round(box.right)}`] : [];
      }),
    );
    expect(wider).to.deep.equal([]);
  });

  it('sets a right-to-left message right to left, in the hero and among the earlier kudos, and a left-to-right one left to right', async () => {
    const admin = await new Api(suite.server.url).loginAdmin();
    const sara = await buildUser(admin, { name: 'سارة الخطيب', team: 'Sales' });
    const ana = await buildUser(admin, { name: 'Ana Lima', team: 'Sales' });
    const post = async (message: string) => {
      const r = await sara.api.post('/api/v1/kudos', { recipientIds: [ana.user.id], behaviourKeys: ['empathize'], message });
      expect(r.status, r.text).to.equal(201);
      return r.body.id as string;
    };
    // Before the fix an Arabic message was laid out left to right: flush left, with its closing
    // "!" at its start.
    const arabic = 'شكرا جزيلا على مساعدتك مع العميل اليوم!';
    const first = await post(arabic);
    const token = (await admin.post('/api/v1/displays', { name: 'Sales TV', team: 'Sales' })).body.token as string;
    const t = await suite.open(null, `/display?token=${encodeURIComponent(token)}`, { width: 1920, height: 1080 });
    const direction = (sel: string) => t.page.locator(sel).evaluate((el) => getComputedStyle(el).direction);
    await t.page.locator(`.tv-hero[data-kudos-id="${first}"]`).waitFor();
    expect(await direction('.tv-message-text p')).to.equal('rtl');
    const second = await post('Thanks for the Arabic greeting card: شكرا!');
    await t.page.locator(`.tv-hero[data-kudos-id="${second}"]`).waitFor();
    expect(await direction('.tv-message-text p')).to.equal('ltr');
    expect(await direction(`.tv-recent-item[data-kudos-id="${first}"] .tv-recent-message`)).to.equal('rtl');
    // A team wall's strip says whose month it counts (its team's: GET /display/stats).
    await t.page.getByTestId('display-stats').filter({ hasText: /Sales this month/i }).waitFor();
  });
});
