/**
 * HTTP and live benchmarks: Shine against a bare Express 5 endpoint and a bare socket.io
 * broadcaster, then two Shine processes sharing Redis. Every server runs in its own child
 * process; this process only drives the load (autocannon) and holds no server.
 *
 *   npm run build && npx tsx bench/http.ts            measure, print, rewrite docs/performance.md
 *   npx tsx bench/http.ts --no-docs --seconds=5      shorter, print only (--rounds=1: no repeats)
 *   npx tsx bench/http.ts --render                   redo tables and docs from bench/results/http.json
 *
 * Env: SHINE_SQLITE_SYNCHRONOUS (default: as configured, FULL), SHINE_TEST_REDIS_URL
 * (default redis://127.0.0.1:6379).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropRedisStreams, pingRedis, startShineProcess, type ShineProcess } from '../test/support/process.js';
import { Child } from './lib/child.js';
import { benchKudosMessage, fanoutMessage } from './lib/fanout-payload.js';
import { measureFanout, type FanoutFigure } from './lib/fanout-run.js';
import { measureHttp, type HttpFigure } from './lib/http-run.js';
import { fanoutRows, httpRows, SECTION, table, verdictRows, writeSection, type Verdict } from './lib/perf-docs.js';
import { commitCost } from './lib/commit-cost.js';
import { analysis } from './lib/perf-analysis.js';
import { prepareShine, type ShineFixture } from './lib/shine-fixture.js';
import { benchShineEnv, feedRequest, postKudosRequest } from './lib/shine-load.js';
import { fixed } from './lib/stats.js';
import type { BenchPeople } from './lib/bench-people.js';
import type { Request } from 'autocannon';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SECONDS = Number(arg('seconds') ?? 10);
const CLIENTS = Number(arg('clients') ?? 1000);
const BROADCASTS = Number(arg('broadcasts') ?? 50);
const ROUNDS = Number(arg('rounds') ?? 3);
const CONNECTIONS = 50;
const WRITE_DOCS = !process.argv.includes('--no-docs');
const REDIS_URL = process.env.SHINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SYNCHRONOUS = process.env.SHINE_SQLITE_SYNCHRONOUS ?? 'FULL';
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const RESULTS = here('./results/http.json');
/** The bare server's second endpoint: a feed page's worth of kudos views (bench/lib/bare-express.ts). */
const BARE_PAGE = 'bare Express 5, a feed-sized answer';
/** Express and better-sqlite3 writing a kudos's rows durably, nothing else (bench/lib/bare-kudos.ts). */
const BARE_WRITE = 'bare Express 5 + better-sqlite3, the same rows';
/**
 * Rows with the other SHINE_SQLITE_WRITER than `auto` picks (the writer thread for one process,
 * the event loop for several): measured beside the default, judged against no target.
 */
const ONE_OTHER = 'Shine ×1, SHINE_SQLITE_WRITER=event-loop';
const TWO_OTHER = 'Shine ×2 + Redis, SHINE_SQLITE_WRITER=thread';
const isContext = (f: HttpFigure) => f.title.includes('SHINE_SQLITE_WRITER=');

type Listening = { type: 'listening'; port: number; people?: BenchPeople };
const isListening = (m: unknown): m is Listening => (m as Listening | undefined)?.type === 'listening';

async function startBare(file: string, name: string, env: Record<string, string> = {}): Promise<{ child: Child<never, Listening>; url: string; people?: BenchPeople | undefined }> {
  const child = Child.start<never, Listening>(here(file), name, env);
  const { port, people } = await child.next(isListening, 30_000);
  return { child, url: `http://127.0.0.1:${port}`, people };
}

/** autocannon's request builder for the bare write: Shine's POST body, with the giver in it (no token to carry it). */
function barePostRequest(p: BenchPeople): (req: Request) => Request {
  let n = 0;
  return (req) => {
    const i = n++;
    const body = {
      giverId: (p.givers[i % p.givers.length] as { id: string }).id,
      recipientIds: [(p.recipients[i % p.recipients.length] as { id: string }).id],
      behaviourKeys: [p.behaviourKeys[i % p.behaviourKeys.length] as string],
      message: benchKudosMessage(i),
    };
    return { ...req, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  };
}

/** POST /kudos and GET /kudos against these Shine processes. */
async function measureShineHttp(label: string, urls: string[], pids: number[], fx: ShineFixture): Promise<HttpFigure[]> {
  return [
    await measureHttp({ title: `${label}: POST /kudos`, urls, path: '/api/v1/kudos', method: 'POST', connections: CONNECTIONS, seconds: SECONDS, setup: postKudosRequest(fx), pids }),
    await measureHttp({ title: `${label}: GET /kudos (feed, 20 items)`, urls, path: '/api/v1/kudos', connections: CONNECTIONS, seconds: SECONDS, setup: feedRequest(fx), pids }),
  ];
}

/** The round with the median req/s: one slow or fast minute of a shared machine does not decide. */
function medianRound(figures: HttpFigure[]): HttpFigure {
  return [...figures].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor((figures.length - 1) / 2)] as HttpFigure;
}

/** POST /kudos and GET /kudos, then fan-out to clients spread over these Shine processes. */
async function measureShine(label: string, urls: string[], pids: number[], fx: ShineFixture): Promise<{ http: HttpFigure[]; fanout: FanoutFigure }> {
  const http = await measureShineHttp(label, urls, pids, fx);
  const fanout = await measureShineFanout(label, urls, pids, fx);
  return { http, fanout };
}

async function measureShineFanout(label: string, urls: string[], pids: number[], fx: ShineFixture): Promise<FanoutFigure> {
  const poster = fx.givers[0] as string;
  const fanout = await measureFanout({
    title: `${label}: POST /kudos → kudos:created`,
    urls,
    tokens: fx.liveTokens,
    clients: CLIENTS,
    broadcasts: BROADCASTS,
    holders: 2,
    pids,
    trigger: async (seq) => {
      const res = await fetch(`${urls[0]}/api/v1/kudos`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${poster}` },
        body: JSON.stringify({ recipientIds: [fx.recipientIds[0]], behaviourKeys: [fx.behaviourKeys[0]], message: fanoutMessage(seq) }),
      });
      if (res.status !== 201) throw new Error(`fan-out post: ${res.status} ${await res.text()}`);
    },
  });
  return fanout;
}

const shineEnv = (extra: Record<string, string> = {}) => benchShineEnv({ SHINE_SQLITE_SYNCHRONOUS: SYNCHRONOUS, ...extra });

async function main(): Promise<void> {
  const started = new Date();
  const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
  const dataDir = mkdtempSync(join(tmpdir(), 'shine-bench-'));
  const stops: Array<() => Promise<unknown>> = [];
  const http: HttpFigure[] = [];
  const fanout: FanoutFigure[] = [];
  let redisNote = '';
  let pageBytes: PageBytes | null = null;
  const commits = commitCost(dataDir);
  try {
    const bare = await startBare('./lib/bare-express.ts', 'bare express');
    stops.push(() => bare.child.stop());
    const broadcaster = await startBare('./lib/bare-broadcaster.ts', 'bare socket.io');
    stops.push(() => broadcaster.child.stop());
    const bareWrite = await startBare('./lib/bare-kudos.ts', 'bare express + sqlite', { BARE_KUDOS_FILE: join(dataDir, 'bare-kudos.db') });
    stops.push(() => bareWrite.child.stop());

    console.log('bare socket.io fan-out ...');
    fanout.push(
      await measureFanout({
        title: 'bare socket.io: POST /emit → io.emit',
        urls: [broadcaster.url],
        tokens: ['none'],
        clients: CLIENTS,
        broadcasts: BROADCASTS,
        holders: 2,
        pids: [broadcaster.child.proc.pid ?? -1],
        trigger: async (seq) => {
          await fetch(`${broadcaster.url}/emit`, { method: 'POST', body: JSON.stringify({ seq }) });
        },
      }),
    );

    console.log('one Shine process ...');
    const one = await startShineProcess({ dataDir, env: shineEnv(), name: 'Shine', logFile: join(dataDir, 'shine-1.log') });
    const fx = await prepareShine(one.url, { givers: 50, recipients: 10, displays: 10 });
    // The bare servers and Shine ×1 take turns, round after round, so all see the same machine.
    const rounds: HttpFigure[][] = [[], [], [], [], []];
    for (let r = 1; r <= ROUNDS; r++) {
      console.log(`round ${r}/${ROUNDS}: bare Express GET /json and /page, bare Express + sqlite POST, Shine ×1 POST and GET /kudos ...`);
      rounds[0]?.push(await measureHttp({ title: 'bare Express 5: GET /json', urls: [bare.url], path: '/json', connections: CONNECTIONS, seconds: SECONDS, pids: [bare.child.proc.pid ?? -1] }));
      rounds[1]?.push(await measureHttp({ title: `${BARE_PAGE}: GET /page`, urls: [bare.url], path: '/page', connections: CONNECTIONS, seconds: SECONDS, pids: [bare.child.proc.pid ?? -1] }));
      rounds[2]?.push(await measureHttp({ title: `${BARE_WRITE}: POST /kudos`, urls: [bareWrite.url], path: '/kudos', method: 'POST', connections: CONNECTIONS, seconds: SECONDS, setup: barePostRequest(bareWrite.people as BenchPeople), pids: [bareWrite.child.proc.pid ?? -1] }));
      const [post, feed] = await measureShineHttp('Shine ×1', [one.url], [one.pid], fx);
      rounds[3]?.push(post as HttpFigure);
      rounds[4]?.push(feed as HttpFigure);
    }
    http.push(...rounds.map(medianRound));
    pageBytes = await answerSizes(bare.url, one.url, fx);
    fanout.push(await measureShineFanout('Shine ×1', [one.url], [one.pid], fx));
    await one.stop();
    if (SYNCHRONOUS === 'FULL') {
      // The same writes without an fsync per commit: shows what the disk, not the code, costs.
      console.log('one Shine process, synchronous=NORMAL ...');
      const normal = await startShineProcess({ dataDir, env: shineEnv({ SHINE_SQLITE_SYNCHRONOUS: 'NORMAL' }), name: 'Shine NORMAL', logFile: join(dataDir, 'shine-n.log') });
      http.push(await measureHttp({ title: 'Shine ×1, synchronous=NORMAL: POST /kudos', urls: [normal.url], path: '/api/v1/kudos', method: 'POST', connections: CONNECTIONS, seconds: SECONDS, setup: postKudosRequest(fx), pids: [normal.pid] }));
      await normal.stop();
    }
    // The other place to commit: context for the default, not a target.
    console.log('one Shine process, writer on the event loop ...');
    const inline = await startShineProcess({ dataDir, env: shineEnv({ SHINE_SQLITE_WRITER: 'event-loop' }), name: 'Shine event-loop', logFile: join(dataDir, 'shine-e.log') });
    http.push(await measureHttp({ title: `${ONE_OTHER}: POST /kudos`, urls: [inline.url], path: '/api/v1/kudos', method: 'POST', connections: CONNECTIONS, seconds: SECONDS, setup: postKudosRequest(fx), pids: [inline.pid] }));
    await inline.stop();

    const reason = await pingRedis(REDIS_URL);
    if (reason) {
      redisNote = `Two processes + Redis: SKIPPED (${reason}).`;
      console.log(`\n!!! redis: SKIPPED (${reason})\n`);
    } else {
      console.log('two Shine processes + Redis ...');
      const stream = `shine-bench-${process.pid}`;
      const env = shineEnv({ SHINE_REDIS_URL: REDIS_URL, SHINE_REDIS_STREAM: stream });
      const a = await startShineProcess({ dataDir, env, name: 'Shine A', logFile: join(dataDir, 'shine-a.log') });
      const b = await startShineProcess({ dataDir, env, name: 'Shine B', logFile: join(dataDir, 'shine-b.log') });
      stops.push(() => Promise.all([a.stop(), b.stop()]), () => dropRedisStreams(REDIS_URL, stream));
      const two = await measureShine('Shine ×2 + Redis', [a.url, b.url], [a.pid, b.pid], fx);
      http.push(...two.http);
      fanout.push(two.fanout);
      await Promise.all([a.stop(), b.stop()]);
      console.log('two Shine processes + Redis, writer threads ...');
      const threadEnv = { ...env, SHINE_SQLITE_WRITER: 'thread' };
      const ta = await startShineProcess({ dataDir, env: threadEnv, name: 'Shine A thread', logFile: join(dataDir, 'shine-ta.log') });
      const tb = await startShineProcess({ dataDir, env: threadEnv, name: 'Shine B thread', logFile: join(dataDir, 'shine-tb.log') });
      stops.push(() => Promise.all([ta.stop(), tb.stop()]));
      http.push(await measureHttp({ title: `${TWO_OTHER}: POST /kudos`, urls: [ta.url, tb.url], path: '/api/v1/kudos', method: 'POST', connections: CONNECTIONS, seconds: SECONDS, setup: postKudosRequest(fx), pids: [ta.pid, tb.pid] }));
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
    rmSync(dataDir, { recursive: true, force: true });
  }

  const measured: Measured = { started: started.toISOString(), pageBytes, load, loadAfter: loadavg().map((x) => x.toFixed(2)).join(' / '), redisNote, commits, http, fanout };
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(measured, null, 2)}\n`);
  publish(measured);
}

/** Prints the tables and (unless --no-docs) rewrites this benchmark's section of docs/performance.md. */
function publish(m: Measured): void {
  const report = [table(httpRows(m.http)), '', table(fanoutRows(m.fanout)), '', table(verdictRows(judge(m.http, m.fanout)))].join('\n');
  console.log(`\n${report}\n`);
  if (m.redisNote) console.log(m.redisNote);
  if (WRITE_DOCS) {
    writeSection(here('../docs/performance.md'), docs({ ...m, report }));
    console.log(`docs/performance.md updated (raw figures in ${RESULTS})`);
  }
}

/** Bytes of the bare server's /page and of the feed page Shine answers in the benchmark. */
async function answerSizes(bareUrl: string, shineUrl: string, fx: ShineFixture): Promise<PageBytes> {
  const bytes = async (url: string, init?: RequestInit) => (await (await fetch(url, init)).arrayBuffer()).byteLength;
  return {
    bare: await bytes(`${bareUrl}/page`),
    shine: await bytes(`${shineUrl}/api/v1/kudos`, { headers: { authorization: `Bearer ${fx.givers[0] as string}` } }),
  };
}

function judge(http: HttpFigure[], fanout: FanoutFigure[]): Verdict[] {
  const bare = http[0] as HttpFigure;
  const barePage = http.find((f) => f.title.startsWith(BARE_PAGE));
  const bareWrite = http.find((f) => f.title.startsWith(BARE_WRITE));
  const bareFan = fanout[0] as FanoutFigure;
  const out: Verdict[] = [];
  for (const f of http.filter((x) => !x.title.startsWith('bare') && !isContext(x))) {
    const share = f.reqPerSec / bare.reqPerSec;
    const cpu = f.cpuMsPerReq !== null && bare.cpuMsPerReq ? `; CPU per request ${fixed(f.cpuMsPerReq / bare.cpuMsPerReq)} × bare` : '';
    // Context, not the target: the same answer size from bare Express.
    const page = f.title.includes('GET') && barePage ? `; ${fixed((100 * f.reqPerSec) / barePage.reqPerSec, 0)} % of bare Express answering a feed-sized page` : '';
    const write = f.title.includes('POST') && bareWrite ? `; ${fixed((100 * f.reqPerSec) / bareWrite.reqPerSec, 0)} % of bare Express + better-sqlite3 writing the same rows` : '';
    out.push({ label: `${f.title} ≥ ½ bare req/s`, pass: share >= 0.5 && f.non2xx === 0, detail: `${fixed(share * 100, 0)} % of bare${f.non2xx ? `, ${f.non2xx} non-2xx` : ''}${cpu}${page}${write}` });
    if (f.title.includes('POST')) out.push({ label: `${f.title} p99 < 50 ms`, pass: f.p99 < 50, detail: `${fixed(f.p99, 0)} ms` });
  }
  for (const f of fanout.slice(1)) {
    const ratio = f.p99 / bareFan.p99;
    out.push({ label: `${f.title} p99 ≤ 2 × bare`, pass: ratio <= 2 && f.missing === 0, detail: `${fixed(ratio, 2)} × (${fixed(f.p99)} vs ${fixed(bareFan.p99)} ms)${f.missing ? `, ${f.missing} missing` : ''}` });
  }
  return out;
}

interface PageBytes {
  bare: number;
  shine: number;
}

interface Measured {
  started: string;
  /** Absent in results from before 2026-11-24 09:30 UTC. */
  pageBytes?: PageBytes | null;
  load: string;
  loadAfter: string;
  redisNote: string;
  commits: ReturnType<typeof commitCost>;
  http: HttpFigure[];
  fanout: FanoutFigure[];
}

type DocsInput = Measured & { report: string };

function docs(d: DocsInput): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    SECTION,
    '',
    `Measured ${d.started.slice(0, 16).replace('T', ' ')} UTC with \`npm run build && npx tsx bench/http.ts\` on ${cpu},`,
    `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}. Load average (1/5/15 min)`,
    `${d.load} at the start and ${d.loadAfter} at the end: the machine was shared with other engineers' builds and tests,`,
    'so req/s and latencies move by tens of percent between runs; the server-CPU columns move much less.',
    '',
    '### Method',
    '',
    'Every server is its own process; the load generator (autocannon, 50 connections, 2 s warm-up then',
    `${SECONDS} s) and the socket.io clients (${CLIENTS} websocket clients in 2 child processes) run beside them on the same`,
    `cores. Bare Express and Shine ×1 take turns for ${ROUNDS} rounds; each of their rows is its median round by req/s.`,
    'Shine runs as in production: `NODE_ENV=production`, request logging at `info` (to a file),',
    `sqlite with \`synchronous=${SYNCHRONOUS}\`, every POST a real committed kudos from one of 50 givers; the per-user kudos`,
    'rate limit is checked on every post over a 1 s window with a limit no giver reaches, so the run measures writes,',
    "not 429s; the check counts the giver's kudos of the last second, at these rates more rows than a real",
    '30-per-minute limit ever counts (at most 30). The feed run reads the newest',
    `20 kudos as an employee${d.pageBytes ? ` (${d.pageBytes.shine} bytes)` : ''}. The targets compare with bare Express's \`/json\` (under 100 bytes); its`,
    `\`/page\` row answers 20 made-up kudos views of the same shape${d.pageBytes ? ` (${d.pageBytes.bare} bytes)` : ''}, to show what writing a feed-sized answer costs by`,
    `itself. The row "${BARE_WRITE}" (\`bench/lib/bare-kudos.ts\`) is Express's \`express.json()\` and`,
    "better-sqlite3 writing each post's kudos, recipient, behaviour and team rows into Shine's schema, the posts of an",
    'event-loop turn in one transaction, answered after its COMMIT (WAL, `synchronous=FULL`): no authentication,',
    'validation, rate limit, logging or broadcast. It shows what keeping each acknowledged kudos, with the same',
    'indexes, costs any Express app on these cores. Fan-out: the time from sending the HTTP request that causes a broadcast to its arrival at',
    `each client, over ${BROADCASTS} broadcasts sent one after another (the next once all clients have the previous one);`,
    'the bare broadcaster sends a payload of the same shape and size as a kudos view. Two processes share one sqlite',
    'file (WAL) and Redis Streams; load and clients are split over both, fan-out posts go to the first.',
    '"Server CPU" is the user + system time of the server process(es) from /proc during the measured part, divided by',
    "requests or broadcasts; in brackets, the main threads (event loops) alone, without V8's helper threads and the kudos",
    'writer thread. With 50 broadcasts, p99 is decided by the slowest one or two of them. Shine runs with',
    '`SHINE_SQLITE_WRITER=auto`, the default: one process commits kudos on its writer thread, two processes (Redis set)',
    'each on its event loop. The rows named `SHINE_SQLITE_WRITER=` run the other setting beside them, for comparison',
    'only: the targets are judged on the default.',
    d.redisNote ? `\n${d.redisNote}` : '',
    '',
    '### Results',
    '',
    d.report,
    '',
    analysis({ http: d.http, fanout: d.fanout, commits: d.commits, connections: CONNECTIONS }),
  ].join('\n');
}

// --render: rebuild the tables and the docs section from the last run's figures, measuring nothing.
if (process.argv.includes('--render')) publish(JSON.parse(readFileSync(RESULTS, 'utf8')) as Measured);
else await main();
