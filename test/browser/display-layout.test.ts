import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeCheckedPages, launchBrowser, openPage, screenshot, type TestPage } from './browser-helpers.js';

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
  let browser: Browser;
  let server: TestServer;
  const pages: TestPage[] = [];

  before(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
  });
  afterEach(async () => {
    await closeCheckedPages(pages);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const viewport of [{ width: 1920, height: 1080 }, { width: 3840, height: 2160 }, { width: 1280, height: 720 }]) {
    it(`shows the giver, every recipient, the behaviours and the message inside the screen at ${viewport.width}×${viewport.height}`, async () => {
      const admin = await new Api(server.url).loginAdmin();
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

      const t = await openPage(browser, { viewport, into: pages });
      await t.page.goto(`${server.url}/display?token=${encodeURIComponent(token)}`);
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
});
