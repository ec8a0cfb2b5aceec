import { expect } from 'chai';
import type { Locator, Page, Route } from 'playwright-core';
import { Api, buildUser } from '../support/api.js';
import { browserSuite, describedText, requestFailure } from './browser-helpers.js';

/** Answers the page's people searches 800 ms late; the function returned counts the answers sent. */
async function answerPeopleSearchLate(page: Page): Promise<() => number> {
  let answered = 0;
  await page.route('**/api/v1/users?*', async (r) => {
    await new Promise((done) => setTimeout(done, 800));
    await r.continue();
    answered++;
  });
  return () => answered;
}

/** Answers a request as an overloaded Shine would: 503 in the documented error shape. */
const unavailable = (r: Route) => r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again in a moment.' } }) });

/** Presses a control with the keyboard and tells where focus went (a lost focus reads "BODY"). */
async function focusAfterPressing(page: Page, control: Locator): Promise<string> {
  await control.focus();
  await page.keyboard.press('Enter');
  await control.waitFor({ state: 'detached' });
  await page.waitForTimeout(100);
  return page.evaluate(() => {
    const el = document.activeElement;
    return !el || el === document.body ? 'BODY' : el.id || el.getAttribute('aria-label') || el.textContent?.trim() || el.tagName;
  });
}

describe('browser: feed paging, filters and composer errors', function () {
  this.timeout(60_000);
  const suite = browserSuite();
  let admin: Api;
  let mo: Awaited<ReturnType<typeof buildUser>>;
  let nia: Awaited<ReturnType<typeof buildUser>>;

  before(async () => {
    admin = await new Api(suite.server.url).loginAdmin();
    mo = await buildUser(admin, { name: 'Mo Support', team: 'Support' });
    nia = await buildUser(admin, { name: 'Nia Sales', team: 'Sales' });
    for (let i = 1; i <= 24; i++) {
      const [from, to] = i % 3 === 0 ? [nia, mo] : [mo, nia];
      const r = await from.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: [i % 4 === 0 ? 'apologize' : 'be-fair'], message: `Kudos number ${i}` });
      expect(r.status, r.text).to.equal(201);
    }
  });

  it('pages with "Load more" and filters by behaviour, person and team', async () => {
    const { page } = await suite.open(admin, '/');
    const cards = page.locator('article.kudos-card');
    await cards.first().waitFor();
    expect(await cards.count()).to.equal(20);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 24);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).to.equal(0);

    await page.getByLabel('Behaviour', { exact: true }).selectOption('apologize');
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 6);
    expect(page.url()).to.contain('behaviour=apologize');

    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await page.getByRole('combobox', { name: 'Person' }).fill('nia');
    await page.getByRole('option', { name: /Nia Sales/ }).click();
    // Received by Nia: every kudos Mo gave (16 of 24); then "gave": the 8 Nia gave.
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 16);
    await page.getByRole('radio', { name: 'gave' }).check();
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 8);

    await page.getByRole('button', { name: 'Clear the person filter' }).click();
    await page.getByLabel('Team').fill('Nobody-here');
    await page.getByLabel('Team').press('Enter');
    await page.getByText('No kudos match these filters yet.').waitFor();
  });

  it('names the person of a filter from a link as the directory does, never as the link says', async () => {
    const chip = (page: Page) => page.locator('.chip-person span');
    // A link that filters Nia's kudos while calling her Mo would credit them to Mo.
    const { page: spoofed } = await suite.open(admin, `/?recipient=${nia.user.id}&personName=${encodeURIComponent('Mo Support')}`);
    await chip(spoofed).filter({ hasText: 'Nia Sales' }).waitFor();
    await spoofed.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 16);
    expect(spoofed.url()).not.to.contain('personName');
    // A link with the id alone (nothing to call her by) still names her.
    const { page: bare } = await suite.open(admin, `/?giver=${nia.user.id}`);
    await chip(bare).filter({ hasText: 'Nia Sales' }).waitFor();
    expect(await bare.getByRole('radio', { name: 'gave' }).isChecked()).to.equal(true);
  });

  it('leaves keyboard focus where it went when it moved on before "Clear all filters" could place it', async () => {
    const { page } = await suite.open(admin, '/?behaviour=apologize');
    await page.getByRole('button', { name: 'Clear all filters' }).waitFor();
    // Clear, then straight into the person field in the same task: before the next frame, when
    // the clear moves focus to the first filter (its button goes away). A busy page's late frame
    // used to pull focus out of the field being typed in.
    await page.evaluate(() => {
      const clear = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Clear all filters');
      clear?.click();
      document.getElementById('filter-person')?.focus();
    });
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('filter-person');
    // Left alone, the clear still takes the keyboard to the first filter.
    await page.getByLabel('Behaviour', { exact: true }).selectOption('apologize');
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'filter-team');
  });

  it('moves keyboard focus to the first kudos loaded when "Load more" reaches the end and goes away', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.locator('article.kudos-card').first().waitFor();
    const lastOfFirstPage = await page.locator('article.kudos-card').nth(19).getAttribute('data-kudos-id');
    await page.getByRole('button', { name: 'Load more' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 24);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).to.equal(0);
    await page.waitForFunction(() => document.activeElement !== document.body, null, { timeout: 2000 }).catch(() => undefined);
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-kudos-id') ?? document.activeElement?.tagName);
    const firstNew = await page.locator('article.kudos-card').nth(20).getAttribute('data-kudos-id');
    expect(focused, 'focus after the last "Load more"').to.equal(firstNew);
    expect(firstNew).to.not.equal(lastOfFirstPage);
    // Tab goes on from there, into that kudos, not from the top of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-kudos-id'))).to.equal(firstNew);
  });

  it('retries a failed "Load more" from where it stopped, keeping the kudos already loaded', async () => {
    const { page } = await suite.open(admin, '/');
    const cards = page.locator('article.kudos-card');
    await cards.first().waitFor();
    let failures = 0;
    await page.route('**/api/v1/kudos?*cursor=*', async (r) => {
      if (failures++ === 0) return unavailable(r);
      return r.continue();
    });
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('alert').waitFor();
    expect(await cards.count()).to.equal(20);
    // Retrying carries on after the 20 kudos shown; it does not start the list over.
    await page.getByRole('button', { name: /Load more|Try again/ }).first().click();
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 24);
    expect(await page.getByRole('alert').count()).to.equal(0);
  });

  it('takes keyboard focus to the first kudos (or the heading) when "Try again" loads a feed that failed', async () => {
    const { page } = await suite.open(mo.api);
    // The feed fails until the test says otherwise: both the page's own load and the one the live
    // connection asks for once connected (it holds no kudos yet), so only "Try again" brings them.
    let failures = 0;
    let healthy = false;
    await page.route('**/api/v1/kudos?*', async (r) => {
      if (healthy) return r.continue();
      failures++;
      return unavailable(r);
    });
    /** Opens the feed at `path` failing, then presses "Try again" with the keyboard once it can work. */
    const retryWithKeyboard = async (path: string) => {
      failures = 0;
      healthy = false;
      await page.goto(suite.server.url + path);
      await page.locator('.live-badge[data-status="online"]').waitFor();
      for (let i = 0; failures < 2 && i < 50; i++) await page.waitForTimeout(50);
      expect(failures, 'failed feed loads').to.equal(2);
      healthy = true;
      // The message goes with the button pressed in it; focus must not fall to the page body.
      await focusAfterPressing(page, page.getByRole('alert').getByRole('button', { name: 'Try again' }));
      expect(await page.getByRole('alert').count()).to.equal(0);
      return page.evaluate(() => document.activeElement?.getAttribute('data-kudos-id') ?? (document.activeElement?.id || document.activeElement?.tagName));
    };

    expect(await retryWithKeyboard('/')).to.equal(await page.locator('article.kudos-card').first().getAttribute('data-kudos-id'));
    // Nothing to show: the keyboard lands on the feed's heading, above "No kudos match these filters yet."
    expect(await retryWithKeyboard('/?team=Nobody-here')).to.equal('feed-title');
    await page.getByText('No kudos match these filters yet.').waitFor();
  });

  it('retries loading the behaviours, not the feed, when the behaviours failed to load', async () => {
    const { page } = await suite.open(mo.api);
    let behaviourCalls = 0;
    let feedCalls = 0;
    await page.route('**/api/v1/behaviours', async (r) => {
      if (behaviourCalls++ === 0) return unavailable(r);
      return r.continue();
    });
    await page.route('**/api/v1/kudos?*', async (r) => {
      feedCalls++;
      return r.continue();
    });
    await page.goto(suite.server.url + '/');
    await page.locator('article.kudos-card').first().waitFor();
    // Connecting live may reload the first page once by itself (a list still empty when the socket
    // connected has no anchor to catch up from): count only what the retry asks for.
    await page.locator('.live-badge[data-status="online"]').waitFor();
    await page.waitForLoadState('networkidle');
    const feedCallsBefore = feedCalls;
    await page.getByRole('alert').getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Build Relationships').waitFor();
    // The message and its button go; the keyboard lands on the behaviours it brought back.
    await page.waitForFunction(() => document.activeElement?.matches('.behaviour-picker summary'));
    expect(behaviourCalls).to.equal(2);
    expect(feedCalls, 'feed requests caused by retrying the behaviours').to.equal(feedCallsBefore);
    expect(await page.getByRole('alert').count()).to.equal(0);
  });

  it('removing a picked colleague with the keyboard leaves focus in the people search', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.getByRole('combobox', { name: 'Who do you want to thank?' }).fill('Nia');
    await page.getByRole('option', { name: /Nia Sales/ }).waitFor();
    await page.keyboard.press('Enter');
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Remove Nia Sales' }))).to.equal('composer-people');
  });

  it('taking back the only reaction with the keyboard leaves focus on "React"', async () => {
    const { page } = await suite.open(nia.api, '/');
    const card = page.locator('article.kudos-card').nth(1);
    await card.getByRole('button', { name: 'React' }).click();
    await card.getByRole('button', { name: 'star' }).click();
    const mine = card.getByRole('button', { name: 'star: 1, including yours' });
    await mine.waitFor();
    // The count drops to 0, so the button goes away with it.
    expect(await focusAfterPressing(page, mine)).to.equal('React');
  });

  it('clearing filters with the keyboard leaves focus in the filters', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.getByRole('combobox', { name: 'Person' }).fill('nia');
    await page.getByRole('option', { name: /Nia Sales/ }).click();
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Clear the person filter' }))).to.equal('filter-person');
    await page.getByLabel('Behaviour', { exact: true }).selectOption('apologize');
    await page.waitForFunction(() => document.querySelectorAll('article.kudos-card').length === 6);
    expect(await focusAfterPressing(page, page.getByRole('button', { name: 'Clear all filters' }))).to.equal('filter-team');
  });

  it('keeps keyboard focus on "Post" after a comment is posted with the keyboard', async () => {
    const { page } = await suite.open(nia.api, '/');
    const card = page.locator('article.kudos-card').first();
    await card.getByRole('button', { name: /comments?$/ }).click();
    const before = Number((await card.getByRole('button', { name: /comments?$/ }).textContent())?.match(/\d+/)?.[0]);
    await card.getByLabel('Add a comment').fill('Thanks for the keyboard-only comment.');
    await card.getByRole('button', { name: 'Post' }).focus();
    await page.keyboard.press('Enter');
    await card.locator('.comment-text').filter({ hasText: 'Thanks for the keyboard-only comment.' }).waitFor();
    await card.getByRole('button', { name: `${before + 1} comment${before + 1 === 1 ? '' : 's'}` }).waitFor();
    // Where a keyboard user left off, not thrown back to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).to.equal('Post');
  });

  it('gives up on reading a comment thread when a live comment makes it read again, and shows the newer read', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.locator('.live-badge[data-status="online"]').waitFor();
    const card = page.locator('article.kudos-card').first();
    const id = (await card.getAttribute('data-kudos-id')) as string;
    // The first read of the thread is held until released; the ones after it are answered at once.
    const thread = (u: URL) => u.pathname === `/api/v1/kudos/${id}/comments`;
    let reads = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let read: () => void = () => undefined;
    const firstRead = new Promise<void>((resolve) => (read = resolve));
    await page.route(thread, async (route) => {
      if (route.request().method() !== 'GET' || ++reads > 1) return route.continue();
      const res = await route.fetch();
      read();
      await held;
      // Answered late if the page still waits for it (Playwright drops it for a request given up on).
      await route.fulfill({ response: res });
    });
    const firstFailure = requestFailure(page, thread);
    await card.getByRole('button', { name: /comments?$/ }).click();
    await firstRead;
    // A colleague comments once the server has answered the first read (without it): the live
    // count moves and the thread is read again.
    const r = await nia.api.post(`/api/v1/kudos/${id}/comments`, { message: 'Said while the thread was loading.' });
    expect(r.status, r.text).to.equal(201);
    await card.locator('.comment-text').filter({ hasText: 'Said while the thread was loading.' }).waitFor();
    release();
    expect(await firstFailure, 'the first read is aborted once the thread is read again').to.equal('net::ERR_ABORTED');
    await page.waitForTimeout(300);
    expect(await card.locator('.comment-text').filter({ hasText: 'Said while the thread was loading.' }).count()).to.equal(1);
    expect(await card.getByRole('alert').count()).to.equal(0);
  });

  it('ties a comment\'s error message to its text field', async () => {
    const { page } = await suite.open(nia.api, '/');
    const card = page.locator('article.kudos-card').first();
    await card.getByRole('button', { name: /comments?$/ }).click();
    await card.getByRole('button', { name: 'Post' }).click();
    await card.getByRole('alert').filter({ hasText: 'Write a comment first.' }).waitFor();
    const field = card.getByLabel('Add a comment');
    expect(await field.getAttribute('aria-invalid')).to.equal('true');
    // What a screen reader reads out with the field: its description is the error.
    const description = await describedText(field);
    expect(description).to.contain('Write a comment first.');
  });

  it('says so when a 21st colleague is picked, instead of ignoring them', async () => {
    for (let i = 1; i <= 21; i++) {
      const name = `Crowd Member ${String(i).padStart(2, '0')}`;
      const r = await admin.post('/api/v1/users', { name, email: `crowd${i}.${process.pid}@shine.test`, team: 'Crowd', password: 'crowd-password-long-enough' });
      expect(r.status, r.text).to.equal(201);
    }
    const { page } = await suite.open(mo.api, '/');
    const search = page.getByRole('combobox', { name: 'Who do you want to thank?' });
    for (let i = 1; i <= 21; i++) {
      const name = `Crowd Member ${String(i).padStart(2, '0')}`;
      await search.fill(name);
      await page.getByRole('option', { name: new RegExp(name) }).waitFor();
      await page.keyboard.press('Enter');
      if (i <= 20) await page.getByRole('list', { name: 'Recipients' }).getByText(name).waitFor();
    }
    await page.getByRole('alert').filter({ hasText: 'at most 20 people' }).waitFor();
    expect(await page.getByRole('list', { name: 'Recipients' }).getByRole('listitem').count()).to.equal(20);
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('composer-people');
    // Making room takes the message away.
    await page.getByRole('button', { name: 'Remove Crowd Member 01' }).click();
    await page.getByRole('alert').filter({ hasText: 'at most 20 people' }).waitFor({ state: 'detached' });
  });

  it('does not open the people results after focus has left the search, when the answer comes late', async () => {
    const { page } = await suite.open(mo.api, '/');
    const answered = await answerPeopleSearchLate(page);
    const search = page.getByRole('combobox', { name: 'Who do you want to thank?' });
    await search.fill('Nia');
    // Debounce done, request in flight: the keyboard moves on.
    await page.waitForTimeout(300);
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.activeElement?.id !== 'composer-people');
    await page.waitForTimeout(1200);
    expect(answered(), 'the search answered').to.be.greaterThan(0);
    expect(await search.getAttribute('aria-expanded')).to.equal('false');
    expect(await page.getByRole('listbox', { name: 'Who do you want to thank?' }).isVisible()).to.equal(false);
    // Coming back to the field shows what was found.
    await search.focus();
    await page.getByRole('option', { name: /Nia Sales/ }).waitFor();
  });

  it('does not announce what the people search found after focus has left it, when the answer comes late', async () => {
    const { page } = await suite.open(mo.api, '/');
    const answered = await answerPeopleSearchLate(page);
    const search = page.getByRole('combobox', { name: 'Who do you want to thank?' });
    const live = page.locator('.combobox').filter({ has: search }).locator('[aria-live="polite"]');
    // While the field has focus, the answer is announced.
    await search.fill('Nia');
    await live.filter({ hasText: '1 person found' }).waitFor();
    await search.fill('');
    await live.filter({ hasText: /^$/ }).waitFor({ state: 'attached' });
    // Debounce done, request in flight: the keyboard moves on, and the answer stays quiet.
    await search.fill('Ni');
    await page.waitForTimeout(300);
    const before = answered();
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.activeElement?.id !== 'composer-people');
    await page.waitForTimeout(1200);
    expect(answered(), 'the search answered').to.be.greaterThan(before);
    expect(await live.textContent()).to.equal('');
  });

  it('gives up on a people search the typing has moved past, and shows what the newer one found, with no error', async () => {
    const { page } = await suite.open(mo.api, '/');
    // The search for "Ni" is held until released; "Nia" is answered at once.
    const older = (u: URL) => u.pathname === '/api/v1/users' && u.searchParams.get('q') === 'Ni';
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(older, async (route) => {
      const res = await route.fetch();
      await held;
      // Answered late if the page still waits for it (Playwright drops it for a request given up on).
      await route.fulfill({ response: res });
    });
    const olderFailure = requestFailure(page, older);
    const olderAsked = page.waitForRequest((r) => older(new URL(r.url())));
    const search = page.getByRole('combobox', { name: 'Who do you want to thank?' });
    const live = page.locator('.combobox').filter({ has: search }).locator('[aria-live="polite"]');
    await search.fill('Ni');
    // Debounce done, the search for "Ni" is out: typing on supersedes it.
    await olderAsked;
    await search.fill('Nia');
    await page.getByRole('listbox', { name: 'Who do you want to thank?' }).getByRole('option', { name: /Nia Sales/ }).waitFor();
    release();
    expect(await olderFailure, 'the search for "Ni" is aborted once "Nia" is typed').to.equal('net::ERR_ABORTED');
    await page.waitForTimeout(300);
    expect(await live.textContent()).to.equal('1 person found. Use the arrow keys to choose.');
    expect(await page.getByRole('listbox', { name: 'Who do you want to thank?' }).getByRole('option').count()).to.equal(1);
  });

  it('posts the edited kudos after a send that got no answer, instead of replaying the first attempt', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.getByRole('combobox', { name: 'Who do you want to thank?' }).fill('Nia');
    await page.getByRole('option', { name: /Nia Sales/ }).click();
    await page.getByText('Build Relationships').click();
    await page.getByLabel(/Be fair/).check();
    await page.getByLabel('What did they do?').fill('First try, lost on the way back.');
    // The first send reaches Shine and is written, but its answer never arrives.
    let sends = 0;
    await page.route('**/api/v1/kudos', async (r) => {
      if (r.request().method() !== 'POST' || sends++ > 0) return r.fallback();
      await r.fetch();
      await r.abort('failed');
    });
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByRole('alert').filter({ hasText: /cannot be reached/ }).waitFor();
    // Edited, it is another kudos: it must be posted, not answered with the first one (or refused).
    await page.getByLabel('What did they do?').fill('Second try, as edited.');
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText('Kudos sent to Nia Sales.').waitFor();
    const mine = (await mo.api.get(`/api/v1/kudos?giver=${mo.user.id}&limit=5`)).body as { items: { message: string }[] };
    expect(mine.items.slice(0, 2).map((k) => k.message)).to.deep.equal(['Second try, as edited.', 'First try, lost on the way back.']);
  });

  it('explains what is missing before posting, and shows API rule errors inline', async () => {
    const { page } = await suite.open(mo.api, '/');
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText('Pick at least one colleague to thank.').waitFor();
    await page.getByText('Pick at least one behaviour.').waitFor();
    await page.getByText('Write a few words about what they did.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('composer-people');

    // The message counter warns past the limit and the form refuses to send.
    await page.getByLabel('What did they do?').fill('y'.repeat(1005));
    await page.locator('#composer-counter').filter({ hasText: '5 characters over' }).waitFor();

    // An allowance set by HR turns into a clear inline error from the API's code.
    const rules = (await admin.get('/api/v1/scoring-rules')).body as Record<string, unknown>;
    const { weights: _w, ...rest } = rules;
    expect((await admin.put('/api/v1/scoring-rules', { ...rest, allowancePerPeriod: 1 })).status).to.equal(200);
    await page.getByRole('combobox', { name: 'Who do you want to thank?' }).fill('Nia');
    await page.getByRole('option', { name: /Nia Sales/ }).click();
    await page.getByText('Build Relationships').click();
    await page.getByLabel(/Be fair/).check();
    await page.getByLabel('What did they do?').fill('One more thank-you.');
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByRole('alert').filter({ hasText: /used all 1 kudos of your allowance/ }).waitFor();
    expect(await page.getByLabel('What did they do?').inputValue()).to.equal('One more thank-you.');
  });
});
