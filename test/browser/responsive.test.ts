import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, expectAccessible, expectNoProblems, openPage, screenshot, signIn } from './browser-helpers.js';

const PHONE = { width: 375, height: 812 };
const TV_4K = { width: 3840, height: 2160 };

/** Nothing sticks out sideways: no horizontal scrolling at this width. */
async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  expect(scroll, `${label}: page is ${scroll}px wide in a ${inner}px viewport`).to.be.at.most(inner);
}

describe('browser: phone to 4K', function () {
  this.timeout(90_000);
  const suite = browserSuite();
  let admin: Api;
  let displayToken: string;
  let user: Awaited<ReturnType<typeof buildUser>>;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    user = await buildUser(admin, { name: 'Jo Phone', team: 'Support' });
    const other = await buildUser(admin, { name: 'Kim Widescreen-Extraordinarily-Long-Surname', team: 'Customer Success and Renewals' });
    const long = 'A very long word without spaces: ' + 'x'.repeat(300) + '. And a long story. '.repeat(30);
    for (const message of ['Short and sweet.', long.slice(0, 1000)]) {
      const r = await other.api.post('/api/v1/kudos', { recipientIds: [user.user.id], behaviourKeys: ['make-special', 'know-the-products', 'learn-from-problems'], message });
      expect(r.status, r.text).to.equal(201);
    }
    displayToken = (await admin.post('/api/v1/displays', { name: 'Phone-sized TV' })).body.token;
    const now = Date.now();
    const period = await admin.post('/api/v1/periods', { name: 'This week', startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() });
    expect(period.status, period.text).to.equal(201);
  });

  for (const viewport of [PHONE, TV_4K]) {
    it(`fits every page at ${viewport.width}×${viewport.height}`, async () => {
      const t = await openPage(suite.browser, { viewport });
      await signIn(t.context, admin);
      const checks: [string, string, string][] = [
        ['/', 'article.kudos-card', 'feed'],
        [`/people/${user.user.id}`, 'figure', 'profile'],
        ['/hr', '[data-testid="periods-table"]', 'hr'],
        ['/hr#displays', '[role="region"][aria-labelledby="displays-caption"]', 'hr displays'],
        ['/hr#audit', '[role="region"][aria-labelledby="audit-caption"]', 'hr audit'],
      ];
      for (const [path, ready, label] of checks) {
        await t.page.goto(suite.server.url + path);
        await t.page.locator(ready).first().waitFor();
        await expectNoSidewaysScroll(t.page, label);
        if (viewport === PHONE && label === 'feed') {
          await expectAccessible(t.page, 'feed on a phone');
          await screenshot(t.page, 'feed-phone');
        }
        // A table wider than a phone scrolls inside its box, which the keyboard can reach.
        if (viewport === PHONE && label === 'hr audit') await expectAccessible(t.page, 'audit log on a phone');
      }
      const tv = await openPage(suite.browser, { viewport });
      await tv.page.goto(`${suite.server.url}/display?token=${encodeURIComponent(displayToken)}`);
      await tv.page.locator('.tv-hero').waitFor();
      await expectNoSidewaysScroll(tv.page, 'display');
      const heroSize = await tv.page.locator('.tv-recipients').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      // Readable from across the room: the names scale with the screen.
      expect(heroSize).to.be.at.least(viewport === TV_4K ? 140 : 30);
      for (const p of [t, tv]) {
        expectNoProblems(p);
        await p.context.close();
      }
    });
  }
});
