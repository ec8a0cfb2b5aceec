/**
 * The /hr page in Chromium against a running Shine holding a large company (the database of
 * bench/scores.ts: 10,000 people, 1,000,000 kudos). Prints what the page asks for and how long the
 * scores table keeps the page busy; the figures go into docs/performance.md ("HR at scale") by hand.
 *
 *   SHINE_URL=http://127.0.0.1:3917 SHINE_TOKEN=<hr or admin JWT> [SHINE_EMPTY_PERIOD=<name>] npx tsx bench/hr-page.ts
 *
 * The first period listed is the one whose scores are opened; SHINE_EMPTY_PERIOD names a period
 * without kudos, whose insights list everyone.
 *
 * Renderer CPU comes from the DevTools protocol (Performance.getMetrics TaskDuration: time the
 * page's main thread was busy), which a shared machine disturbs far less than wall time.
 */
import { chromium, type CDPSession } from 'playwright-core';

const BASE = process.env.SHINE_URL ?? 'http://127.0.0.1:3000';
const TOKEN = process.env.SHINE_TOKEN;
if (!TOKEN) throw new Error('Set SHINE_TOKEN to an hr or admin token.');

async function busyMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

const me = await (await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
const browser = await chromium.launch({ executablePath: process.env.SHINE_CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(({ token, user }) => {
    localStorage.setItem('shine.token', token);
    localStorage.setItem('shine.user', JSON.stringify(user));
  }, { token: TOKEN, user: me });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const asked: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) asked.push(u.pathname);
  });
  await page.goto(`${BASE}/hr#periods`);
  await page.getByRole('button', { name: /^Scores for/ }).first().waitFor();
  await page.waitForLoadState('networkidle');
  const perPath = new Map<string, number>();
  for (const p of asked) perPath.set(p, (perPath.get(p) ?? 0) + 1);
  console.log(`/hr#periods on opening: ${asked.length} API requests`, Object.fromEntries(perPath));

  const before = await busyMs(cdp);
  const t0 = performance.now();
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/scores'), { timeout: 300_000 });
  await page.getByRole('button', { name: /^Scores for/ }).first().click();
  const res = await answered;
  const tAnswer = performance.now();
  const body = await res.body();
  await page.getByTestId('scores-table').waitFor({ timeout: 300_000 });
  const tShown = performance.now();
  const afterTable = await busyMs(cdp);
  const rows = await page.locator('[data-testid=scores-table] > tbody > tr').count();
  console.log(`scores: answer ${(tAnswer - t0).toFixed(0)} ms (${(body.length / 1e6).toFixed(1)} MB), table shown ${(tShown - t0).toFixed(0)} ms after the click, ${(tShown - tAnswer).toFixed(0)} ms after the answer; renderer busy ${(afterTable - before).toFixed(0)} ms; ${rows} table rows drawn`);

  const k0 = await busyMs(cdp);
  await page.locator('#score-filter').pressSequentially('Person 9999', { delay: 0 });
  await page.getByTestId('scores-table').getByRole('link', { name: 'Person 9999', exact: true }).waitFor();
  const k1 = await busyMs(cdp);
  console.log(`typing "Person 9999" into the search (11 keystrokes): renderer busy ${(k1 - k0).toFixed(0)} ms`);

  // A period without kudos yet (SHINE_EMPTY_PERIOD names it): everyone is in both insight lists.
  const empty = process.env.SHINE_EMPTY_PERIOD;
  if (empty) {
    const i0 = await busyMs(cdp);
    const t = performance.now();
    await page.getByRole('button', { name: `Insights for ${empty}` }).click();
    await page.getByTestId('received-nothing').getByRole('listitem').first().waitFor({ timeout: 300_000 });
    const i1 = await busyMs(cdp);
    const names = await page.locator('.name-list > li').count();
    console.log(`insights of "${empty}": shown ${(performance.now() - t).toFixed(0)} ms after the click; renderer busy ${(i1 - i0).toFixed(0)} ms; ${names} names drawn`);
  }
} finally {
  await browser.close();
}
