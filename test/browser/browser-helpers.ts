/**
 * Real-Chromium helpers for the page tests: one browser per test file, a fresh context per test,
 * sign-in the way the pages store it, axe-core checks and README screenshots.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Api } from '../support/api.js';
import { startTestServer, TestClock, type TestServer } from '../support/server.js';

export const CHROMIUM_PATH = process.env.SHINE_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
/**
 * Every run takes the screenshots, so a page that cannot render fails here too; only
 * `npm run screenshots` (SHINE_SCREENSHOTS=1) writes them over the README's, so that a test
 * run leaves the working tree as it found it.
 */
export const SCREENSHOT_DIR = process.env.SHINE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(tmpdir(), 'shine-screenshots');
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

let built = false;

/**
 * The server serves dist/public; build the bundles once per test process so that running one
 * browser test file on its own never exercises stale JavaScript. esbuild takes well under a second.
 */
export function ensureWebBuild(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-web.mjs')], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

/**
 * Fails loudly (never skips) when Chromium is missing: CI installs it, so absence is a setup bug.
 * `extraArgs` are added to Chromium's command line (INSECURE_HOST_ARGS, for instance).
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or point SHINE_CHROMIUM_PATH at a Chromium binary. These tests are never skipped.`,
    );
  }
  ensureWebBuild();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage', ...extraArgs],
  });
}

/**
 * A host name that reaches the test server as plain http: unlike 127.0.0.1 and localhost, it is not
 * a secure context, as Shine is on an office network without TLS (no clipboard API, for one).
 * Launch with launchBrowser(INSECURE_HOST_ARGS) and open `insecureUrl(server.url)`.
 */
export const INSECURE_HOST = 'shine-office.test';
export const INSECURE_HOST_ARGS = [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`] as const;
export const insecureUrl = (url: string) => url.replace(/\/\/(127\.0\.0\.1|localhost)(?=[:/]|$)/, `//${INSECURE_HOST}`);

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors, console errors and CSP violations seen so far. */
  problems: string[];
}

export type Viewport = { width: number; height: number };

export interface OpenOptions {
  viewport?: Viewport;
  /** Signed in as this user before any page loads (signIn). */
  as?: Api | null;
  /** The test's list of pages, checked and closed after each test (closeCheckedPages). */
  into?: TestPage[];
  /** Loaded once the page is set up (signed in, in `into`); without it the page is blank, for routes to be set first. */
  url?: string;
}

/** A fresh context (own storage) and page; reduced motion keeps animations out of the checks. */
export async function openPage(browser: Browser, opts: OpenOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    // Failed loads while a server is down are expected in the restart test; CSP and script errors are not.
    // Over plain http (INSECURE_HOST) Chromium says it ignores helmet's Cross-Origin-Opener-Policy, as it should.
    if (msg.type() === 'error' && !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket connection|net::ERR_|Cross-Origin-Opener-Policy header has been ignored/.test(text)) problems.push(`console: ${text}`);
  });
  // API refusals (401 on a wrong password, 422 rule errors) and a 503 from /readyz (the TV wall's
  // probe before its daily reload) are part of the tests; a page, script, stylesheet or icon that
  // fails to load never is.
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !path.startsWith('/api/') && path !== '/readyz') problems.push(`http ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  const t = { context, page, problems };
  opts.into?.push(t);
  if (opts.as) await signIn(context, opts.as);
  if (opts.url !== undefined) await page.goto(opts.url);
  return t;
}

/** Signs a context in the way the login page does: the JWT and the user in localStorage. */
export async function signIn(context: BrowserContext, api: Api): Promise<void> {
  const me = await api.get('/api/v1/me');
  if (me.status !== 200) throw new Error(`GET /me failed: ${me.status} ${me.text}`);
  await context.addInitScript(
    ({ token, user }) => {
      if (localStorage.getItem('shine.token')) return;
      localStorage.setItem('shine.token', token);
      localStorage.setItem('shine.user', JSON.stringify(user));
    },
    { token: api.token as string, user: me.body as unknown },
  );
}

export interface BrowserSuite {
  /** Launched before the suite, closed after it. */
  readonly browser: Browser;
  /** Started before the suite, just after the browser, and stopped after it (not with `server: false`). */
  readonly server: TestServer;
  /** The server's clock, with `clock: true`: it stands still at the time the server started until a test moves it. */
  readonly clock: TestClock;
  /** Pages opened into this list are checked and closed after each test (closeCheckedPages). */
  readonly pages: TestPage[];
  /**
   * A fresh page in `pages`, signed in as `as` (null: signed out), at `path` on the suite's server;
   * without a path it is left blank, for routes to be set up before the first request.
   */
  open(as: Api | null, path?: string, viewport?: Viewport): Promise<TestPage>;
}

/**
 * The set-up every browser suite shares, called at the top of its describe(): a before() that
 * launches Chromium, then starts the server (`server: false`: the tests start their own; `clock`:
 * on a TestClock set to now); an afterEach() that checks and closes the test's pages; an after()
 * that closes the browser, then the server. Hooks the suite adds itself run after these.
 */
export function browserSuite(o: { server?: false; clock?: true } = {}): BrowserSuite {
  let browser: Browser | undefined;
  let server: TestServer | undefined;
  let clock: TestClock | undefined;
  const pages: TestPage[] = [];
  before(async () => {
    browser = await launchBrowser();
    if (o.clock) clock = new TestClock(Date.now());
    if (o.server !== false) server = await startTestServer({ clock });
  });
  afterEach(async () => {
    await closeCheckedPages(pages);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const made = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`this suite has no ${what} (browserSuite's options), or its before() hook has not run`);
    return value;
  };
  const suite: BrowserSuite = {
    get browser() {
      return made(browser, 'browser');
    },
    get server() {
      return made(server, 'server');
    },
    get clock() {
      return made(clock, 'clock');
    },
    pages,
    open: (as, path, viewport) => openPage(suite.browser, { viewport, as, into: pages, url: path === undefined ? undefined : suite.server.url + path }),
  };
  return suite;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page and fails on serious or critical violations, and on any violation of
 * the `alsoRules` named (lesser rules a page has been fixed for, so they stay fixed). The source
 * is evaluated through the DevTools protocol because the strict CSP (rightly) refuses the inline
 * script tag that page.addScriptTag would add.
 */
export async function expectAccessible(page: Page, label: string, alsoRules: readonly string[] = []): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || alsoRules.includes(v.id));
  if (bad.length > 0) {
    const text = bad.map((v) => `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`).join('\n');
    throw new Error(`axe found ${bad.length} serious, critical or named violation(s) on ${label}:\n${text}`);
  }
}

/** Saves a screenshot as SCREENSHOT_DIR/<name>.png (the README's with SHINE_SCREENSHOTS=1). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** No script error, console error, CSP violation or alert() happened on this page. */
export function expectNoProblems(t: TestPage): void {
  if (t.problems.length > 0) throw new Error(`the page reported problems:\n${t.problems.join('\n')}`);
}

/** afterEach for a suite: fails on any page problem, and closes every page the test opened. */
export async function closeCheckedPages(pages: TestPage[]): Promise<void> {
  for (const t of pages.splice(0)) {
    expectNoProblems(t);
    await t.context.close();
  }
}

/** A feed request held back by the test: the server has read it, the page gets the answer on release(). */
export interface Held {
  url: URL;
  /** Lets the answer through, or finds that the page gave up on (aborted) the request meanwhile. */
  release(): Promise<'answered' | 'aborted'>;
}

/**
 * Holds back the answers to the feed's GET /kudos requests that `hold` picks (asked once per
 * request, in the order they go out); the others pass. Each held request is read by the server at
 * once: HTTP answers and live events travel on separate connections, so nothing orders them, and
 * this forces the orderings a slow network can produce.
 * The function returned gives the held requests in the order they were made.
 */
export async function holdFeedAnswers(page: Page, hold: (u: URL) => boolean): Promise<() => Promise<Held>> {
  const held: Held[] = [];
  const waiting: ((h: Held) => void)[] = [];
  await page.route((u) => u.pathname === '/api/v1/kudos', async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() !== 'GET' || !hold(url)) return route.continue();
    const response = await route.fetch();
    const h: Held = {
      url,
      release: async () => {
        // An aborted request has nothing left to answer: Playwright ignores the fulfill.
        await route.fulfill({ response }).catch(() => undefined);
        // Its response once answered, null once failed (aborted), whichever came first.
        if ((await route.request().response()) === null) return 'aborted';
        // Give the page every chance to fold the answer in (or to drop it).
        await page.waitForTimeout(500);
        return 'answered';
      },
    };
    const w = waiting.shift();
    if (w) w(h);
    else held.push(h);
  });
  return () => {
    const h = held.shift();
    return h ? Promise.resolve(h) : new Promise<Held>((resolve) => waiting.push(resolve));
  };
}

/**
 * Makes the page's fetch ignore its abort signal (set before the page loads): every answer then
 * reaches the page, as one already in when the abort came does, so a test can show that the page
 * drops the answers it no longer wants by its own checks, not only by aborting their requests.
 */
export async function answersOutrunAborts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const fetch = window.fetch.bind(window);
    window.fetch = (input, init) => fetch(input, { ...init, signal: null });
  });
}

/**
 * How the first request that `match` picks from now on ends, once it has failed: its error text
 * ("net::ERR_ABORTED" when the page gave up on it), or "not aborted" if none failed within `timeout`
 * (answered, or still out). Call it before the action that should make the page give up.
 */
export function requestFailure(page: Page, match: (u: URL) => boolean, timeout = 10_000): Promise<string> {
  return page.waitForEvent('requestfailed', { predicate: (r) => match(new URL(r.url())), timeout }).then(
    (r) => r.failure()?.errorText ?? 'failed without an error text',
    () => 'not aborted',
  );
}

/**
 * What a screen reader reads out with a field besides its name: the texts of the elements its
 * aria-describedby names, in order, joined by `separator` (a field's error is one of them).
 */
export function describedText(field: Locator, separator = ' '): Promise<string> {
  return field.evaluate(
    (el, sep) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '').join(sep),
    separator,
  );
}
