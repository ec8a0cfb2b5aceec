/**
 * Soak: a TV wall and an employee's feed tab left open through a long, compressed office life,
 * to see whether either page, or the server, keeps memory it should have let go. Four phases,
 * each sampled after a forced full GC (pages over the DevTools protocol, the server through its
 * inspector), so their slopes can be told apart:
 *
 *   kudos       N kudos over HTTP (public and private, some removed by hr, reactions, comments)
 *   reconnects  both pages lose the network and come back R times (a kudos posted while they are
 *               away each time, so the catch-up replays it), and 10 R socket.io clients connect,
 *               catch up and leave
 *   restarts    the server restarts on the same data, by SIGTERM and SIGKILL in turn
 *   hours       the pages' clocks (Playwright's fake clock) run through a day: the stats strip
 *               rotation, the stats refresh, the relative-time clock; then past 24 h, when the
 *               wall reloads itself
 *
 *   npm run build && npx tsx bench/soak.ts                     measure, print, rewrite the docs section
 *   npx tsx bench/soak.ts --kudos=1000 --reconnects=40 --no-docs   shorter, print only
 *   npx tsx bench/soak.ts --render                             redo the section from bench/results/soak.json
 *
 * Other options: --restarts=10 --hours=23 --steps=10 --seed=1.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, openPage, signIn, type TestPage } from '../test/browser/browser-helpers.js';
import { Api, buildUser } from '../test/support/api.js';
import { startShineProcess, TEST_JWT_SECRET, type ShineProcess } from '../test/support/process.js';
import { replaceSection } from './lib/docs-section.js';
import { churnSockets, dropNetwork, liveALife, noLife, settle, waitOnline, type LifeCounts, type SoakCast } from './lib/soak-drive.js';
import { PageProbe, ServerProbe, type PageSample, type ServerSample } from './lib/soak-probes.js';
import { soakDocs, soakReport, SOAK_SECTION } from './lib/soak-docs.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const KUDOS = arg('kudos', 5000);
const RECONNECTS = arg('reconnects', 100);
const RESTARTS = arg('restarts', 10);
const HOURS = arg('hours', 23);
const STEPS = arg('steps', 10);
const SEED = arg('seed', 1);
/** Socket.io clients that connect, catch up and leave, per network drop of the pages. */
const CHURN_PER_DROP = 10;
const PEOPLE = 12;
const WARM_UP_KUDOS = 300;
const WRITE_DOCS = !process.argv.includes('--no-docs');
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const RESULTS = here('./results/soak.json');
const TV = { width: 1920, height: 1080 };

export type Phase = 'kudos' | 'reconnects' | 'restarts' | 'hours';

export interface Sample {
  phase: Phase;
  /** Work done so far in the phase: kudos, network drops per page, restarts, simulated hours. */
  x: number;
  /** Socket.io connections opened so far in the phase (the pages' reconnects and the churn clients). */
  connections: number;
  seconds: number;
  tv: PageSample;
  feed: PageSample;
  server: ServerSample | null;
}

export interface SoakMeasured {
  started: string;
  load: string;
  loadAfter: string;
  options: { kudos: number; reconnects: number; churn: number; restarts: number; hours: number; seed: number; people: number; warmUp: number };
  life: LifeCounts;
  samples: Sample[];
  /** The wall's heap before and after it reloaded itself past 24 h; reloaded: whether it did. */
  dailyReload: { reloaded: boolean; before: PageSample; after: PageSample | null };
  /** Loads of either page after its first, and when. */
  navigations: string[];
  /** Script errors, console errors and failed page loads the two pages reported. */
  problems: string[];
  minutes: number;
}

function serverEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: TEST_JWT_SECRET,
    // A life of thousands of kudos in minutes from a dozen people: far past the real per-user limit.
    SHINE_KUDOS_RATE_LIMIT: '100000',
    SHINE_KUDOS_RATE_WINDOW: '1',
  };
}

async function startServer(dataDir: string, port = 0): Promise<{ proc: ShineProcess; probe: ServerProbe }> {
  const proc = await startShineProcess({ dataDir, port, env: serverEnv(), name: 'Shine', nodeArgs: ['--inspect=127.0.0.1:0'] });
  return { proc, probe: await ServerProbe.attach(proc.tail(200), proc.pid, proc.url) };
}

async function prepare(url: string): Promise<{ cast: SoakCast; displayToken: string }> {
  const admin = await new Api(url).loginAdmin();
  const people = [];
  for (let i = 0; i < PEOPLE; i++) people.push(await buildUser(admin, { name: `Soak Person ${i}`, team: `Team ${i % 4}` }));
  const catalog = await admin.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours');
  const display = await admin.post<{ token: string }>('/api/v1/displays', { name: 'Soak wall' });
  if (display.status !== 201) throw new Error(`display: ${display.status} ${display.text}`);
  return {
    cast: { people: people.map((p) => p.api), ids: people.map((p) => p.user.id), behaviourKeys: catalog.body.filter((b) => b.active).map((b) => b.key), admin },
    displayToken: display.body.token,
  };
}

async function main(): Promise<void> {
  const started = new Date();
  const t0 = Date.now();
  const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
  const dataDir = mkdtempSync(join(tmpdir(), 'shine-soak-'));
  const browser = await launchBrowser();
  let server = await startServer(dataDir);
  const pages: TestPage[] = [];
  try {
    const { cast, displayToken } = await prepare(server.proc.url);
    const life = noLife();
    // Both clocks are Playwright's from the start: they run at the real pace until the hours phase.
    const tv = await openPage(browser, { viewport: TV });
    const feed = await openPage(browser);
    pages.push(tv, feed);
    await tv.page.clock.install();
    await feed.page.clock.install();
    await signIn(feed.context, cast.people[cast.people.length - 1] as Api);
    await tv.page.goto(`${server.proc.url}/display?token=${encodeURIComponent(displayToken)}`);
    await feed.page.goto(`${server.proc.url}/`);
    await Promise.all([waitOnline(tv.page), waitOnline(feed.page)]);
    const probes = { tv: new PageProbe(tv.page), feed: new PageProbe(feed.page) };
    // Any load after the first: the wall's daily reload, the feed's return to sign-in.
    let where = 'warm-up';
    const navigations: string[] = [];
    for (const [name, t] of [['wall', tv], ['feed', feed]] as const) {
      t.page.on('framenavigated', (f) => f === t.page.mainFrame() && navigations.push(`${name} loaded ${new URL(f.url()).pathname} during ${where}`));
    }

    const samples: Sample[] = [];
    const sample = async (phase: Phase, x: number, connections: number, withServer = true) => {
      await settle(cast, [tv.page, feed.page], phase === 'hours' ? null : life);
      const s: Sample = { phase, x, connections, seconds: (Date.now() - t0) / 1000, tv: await probes.tv.sample(), feed: await probes.feed.sample(), server: withServer ? await server.probe.sample() : null };
      samples.push(s);
      where = `${phase} after ${x}`;
      console.log(`${phase} ${x}: tv ${mb(s.tv.heapUsed)} MB ${s.tv.nodes} nodes, feed ${mb(s.feed.heapUsed)} MB ${s.feed.nodes} nodes${s.server ? `, server ${mb(s.server.heapUsed)} MB heap ${mb(s.server.rss)} MB RSS ${s.server.liveConnections} conn` : ''}`);
    };
    const both = (f: (p: Page) => Promise<void>) => Promise.all([f(tv.page), f(feed.page)]);
    /** Both pages drop off the network together; a kudos posted meanwhile comes back in their catch-up. */
    const drop = async () => {
      await both((p) => p.context().setOffline(true));
      await liveALife(cast, 1, SEED + 7 + life.posted, life, 1);
      await both((p) => dropNetwork(p));
    };

    console.log('warm-up ...');
    await liveALife(cast, WARM_UP_KUDOS, SEED, life);
    for (let i = 0; i < 5; i++) await drop();
    await churnSockets(server.proc.url, cast.people[0]?.token as string, 50);

    console.log(`kudos: ${KUDOS} in ${STEPS} steps ...`);
    await sample('kudos', 0, 0);
    for (let step = 1; step <= STEPS; step++) {
      await liveALife(cast, Math.round(KUDOS / STEPS), SEED + 100 + step, life);
      await sample('kudos', Math.round((KUDOS * step) / STEPS), 0);
    }

    console.log(`reconnects: ${RECONNECTS} network drops of both pages, ${RECONNECTS * CHURN_PER_DROP} socket.io clients ...`);
    await sample('reconnects', 0, 0);
    let drops = 0;
    for (let step = 1; step <= STEPS; step++) {
      const target = Math.round((RECONNECTS * step) / STEPS);
      const churn = (target - drops) * CHURN_PER_DROP;
      const churned = churnSockets(server.proc.url, cast.people[1]?.token as string, churn, 4);
      for (; drops < target; drops++) await drop();
      await churned;
      await sample('reconnects', drops, drops * (2 + CHURN_PER_DROP));
    }

    console.log(`restarts: ${RESTARTS} ...`);
    await sample('restarts', 0, 0, false);
    for (let r = 1; r <= RESTARTS; r++) {
      const port = server.proc.port;
      server.probe.close();
      // Deploys stop it politely; power cuts and OOM kills do not.
      if (r % 2 === 0) await server.proc.kill9();
      else await server.proc.stop();
      server = await startServer(dataDir, port);
      await Promise.all([waitOnline(tv.page), waitOnline(feed.page)]);
      await liveALife(cast, 10, SEED + 1000 + r, life);
      if (r % Math.max(1, Math.round(RESTARTS / STEPS)) === 0 || r === RESTARTS) await sample('restarts', r, 0, false);
    }

    console.log(`hours: ${HOURS} simulated hours of the pages' timers ...`);
    await sample('hours', 0, 0, false);
    const CHUNK_MIN = 30;
    const chunks = Math.round((HOURS * 60) / CHUNK_MIN);
    for (let c = 1; c <= chunks; c++) {
      await both((p) => p.clock.runFor(CHUNK_MIN * 60_000));
      if (c % Math.max(1, Math.round(chunks / STEPS)) === 0 || c === chunks) {
        await both(waitOnline);
        await sample('hours', (c * CHUNK_MIN) / 60, 0, false);
      }
    }

    // Past 24 h on air the wall checks the server and reloads itself: a fresh page, a fresh heap.
    // The rest of the day is skipped (timers due fire once), then its hourly check runs.
    const before = await probes.tv.sample();
    await tv.page.evaluate(() => ((window as unknown as { soakMark: number }).soakMark = 1));
    where = 'the last hours, past 24 h';
    if (HOURS < 24) await tv.page.clock.fastForward((24 - HOURS) * 3_600_000);
    await tv.page.clock.runFor('01:01:00');
    const reloaded = await tv.page
      .waitForFunction(() => (window as unknown as { soakMark?: number }).soakMark === undefined, undefined, { timeout: 30_000 })
      .then(() => true, () => false);
    if (reloaded) await waitOnline(tv.page);
    const dailyReload = { reloaded, before, after: reloaded ? await probes.tv.sample() : null };

    const measured: SoakMeasured = {
      started: started.toISOString(),
      load,
      loadAfter: loadavg().map((x) => x.toFixed(2)).join(' / '),
      options: { kudos: KUDOS, reconnects: RECONNECTS, churn: RECONNECTS * CHURN_PER_DROP, restarts: RESTARTS, hours: HOURS, seed: SEED, people: PEOPLE, warmUp: WARM_UP_KUDOS },
      life,
      samples,
      dailyReload,
      navigations,
      problems: [...tv.problems.map((p) => `wall: ${p}`), ...feed.problems.map((p) => `feed: ${p}`)],
      minutes: (Date.now() - t0) / 60_000,
    };
    mkdirSync(dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(measured, null, 2)}\n`);
    publish(measured);
  } finally {
    for (const p of pages) await p.context.close().catch(() => undefined);
    await browser.close();
    server.probe.close();
    await server.proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

function publish(m: SoakMeasured): void {
  const report = soakReport(m);
  console.log(`\n${report}\n`);
  if (WRITE_DOCS) {
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const machine = `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
    replaceSection(here('../docs/performance.md'), SOAK_SECTION, soakDocs(m, report, machine), "## Node 24 (production's runtime), by hand");
    console.log(`docs/performance.md updated (raw figures in ${RESULTS})`);
  }
}

if (process.argv.includes('--render')) publish(JSON.parse(readFileSync(RESULTS, 'utf8')) as SoakMeasured);
else await main();
