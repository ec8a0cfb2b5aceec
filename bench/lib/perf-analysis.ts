import type { commitCost } from './commit-cost.js';
import type { FanoutFigure } from './fanout-run.js';
import type { HttpFigure } from './http-run.js';
import { fixed } from './stats.js';

export interface AnalysisInput {
  http: HttpFigure[];
  fanout: FanoutFigure[];
  commits: ReturnType<typeof commitCost>;
  connections: number;
}

const find = <T extends { title: string }>(xs: T[], ...parts: string[]): T | undefined => xs.find((x) => parts.every((p) => x.title.includes(p)));
const ms = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : fixed(x, digits));

/**
 * The "why" under the tables, computed from this run's figures where it can be. Observations
 * from other runs say when they were made, so a rerun cannot silently contradict them.
 */
export function analysis(a: AnalysisInput): string {
  const bare = find(a.http, 'bare');
  const post = find(a.http, 'Shine ×1: POST');
  const feed = find(a.http, 'Shine ×1: GET');
  const normal = find(a.http, 'NORMAL');
  const post2 = find(a.http, '×2', 'POST');
  const feed2 = find(a.http, '×2', 'GET');
  const { FULL, NORMAL } = a.commits;
  const queue = (f: HttpFigure | undefined, mainMs: number | null) => {
    const perReq = mainMs ?? f?.cpuMsPerReq;
    return perReq ? fixed(a.connections * perReq, 0) : 'n/a';
  };
  const share = (f: HttpFigure | undefined) => (f && bare ? `${fixed((100 * f.reqPerSec) / bare.reqPerSec, 0)} %` : 'n/a');
  const main = (f: HttpFigure | undefined) => f?.mainCpuMsPerReq ?? null;
  return [
    '### Where the time goes',
    '',
    `- **CPU per request decides it.** Server CPU per request in this run (all threads; the event loop's alone in`,
    `  brackets): POST ${ms(post?.cpuMsPerReq)} (${ms(main(post))}) ms, feed ${ms(feed?.cpuMsPerReq)} (${ms(main(feed))}) ms, bare Express ${ms(bare?.cpuMsPerReq)} ms. An event loop`,
    `  runs one request at a time, so with ${a.connections} connections waiting the median answer takes about ${a.connections} × its CPU per`,
    `  request (≈ ${queue(post, main(post))} ms for POST, ${queue(feed, main(feed))} ms for the feed), on cores shared with the load generator. POST reached`,
    `  ${share(post)} and the feed ${share(feed)} of bare req/s. Half of bare needs a whole authenticated request in about two bare`,
    '  requests of event-loop time.',
    '- **What changed on 2026-11-23** (three sessions; the first generated run of the day measured 1.69 ms of CPU',
    '  per POST and 1.32 ms per feed read, all on the event loop): a small request logger instead of pino-http, log',
    '  lines written in ~4 KB batches; a verified JWT remembered until it expires; one API router with the kudos',
    '  routes first, and the middleware every request passes run as two router layers instead of six; no ETag on',
    '  API answers; hot reads (the signed-in user, the newest feed page, the catalog, the rules) cached while',
    '  `PRAGMA data_version`, the cache epoch (schema v4) and the connection\'s own write counter prove them',
    '  current; an unchanged feed page serialised once; and, last, posting on a **writer thread**: the checks,',
    '  inserts, COMMIT and fsync of new kudos run on a thread with its own connection, so the event loop only',
    '  hands the write over and sends the answer. Measured side by side on 2026-11-23 ~19:32 UTC (the build',
    '  before the writer thread against this one, same machine, three runs each): event-loop CPU per POST',
    '  0.78 → 0.64 ms (median), POST 1159 → 1250 req/s. Two complete runs of this bench ten minutes apart,',
    '  before the session and with the writer thread and the two-layer middleware: POST ×1 26 → 32 % of bare,',
    '  feed ×1 50 → 52 %, POST ×2 943 → 1002 req/s, feed ×2 2758 → 3145 req/s (notes at the end of this file).',
    '- **Where a request goes now** (`--cpu-prof`, 2026-11-23 ~19:30 UTC): on the event loop, POST spends ~16 % in',
    "  Express (router, body parsing, response helpers), ~15 % in Node's HTTP code and socket writes, ~6 % in GC,",
    '  ~9 % in the use case (checks against cached people and catalog, the allowance window), ~3 % in zod, ~3 %',
    '  handing writes to the writer thread and ~2 % in sqlite (cache checks); the rest is spread thinly. The writer',
    '  thread spends about two thirds of its busy time in COMMIT (with its fsync) and a fifth in the inserts. The',
    "  feed spends ~17 % in Express, ~25 % in Node's HTTP code writing the ~12 KB page, ~7 % in GC, ~6 % in the",
    '  two `PRAGMA data_version` checks and ~4 % in logging. Production runs Node 24: a run there is in the notes at',
    '  the end of this file (on 2026-11-23 with the writer thread: bare Express 2.7 × faster, the feed 1.9 ×, POST 1.6 ×).',
    `- **Durability without stopping the event loop.** A one-row commit took ${ms(FULL.p50)} ms (p99 ${ms(FULL.p99)} ms) with`,
    `  \`synchronous=FULL\` and ${ms(NORMAL.p50, 3)} ms with \`NORMAL\` in this run; POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} req/s with FULL against`,
    `  ${fixed(normal?.reqPerSec ?? Number.NaN, 0)} with NORMAL${disturbed(post, normal)}. Posts that reach the writer thread together share one`,
    '  transaction (group commit), and each is answered after that COMMIT, with FULL after its fsync, so an',
    '  acknowledged kudos survives a power cut. A slow disk holds up the writer thread, and with it the answers to',
    '  posts, while the event loop goes on serving reads. Give the database a disk of its own all the same.',
    `- **Two processes on one sqlite file.** Feed ${fixed(feed?.reqPerSec ?? Number.NaN, 0)} → ${fixed(feed2?.reqPerSec ?? Number.NaN, 0)} req/s, POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} →`,
    `  ${fixed(post2?.reqPerSec ?? Number.NaN, 0)} req/s (CPU per POST ${ms(post?.cpuMsPerReq)} → ${ms(post2?.cpuMsPerReq)} ms). The two writer threads share one file lock, held`,
    '  through each fsync, so commits take turns; one that finds the lock taken retries from a timer while more',
    "  posts join its batch. A commit by one process empties the other's cached feed and SQLite page cache (but no",
    '  longer its cached people, catalog and rules), every kudos also goes through Redis, and two event loops, two',
    '  writer threads, Redis and the load generator share two cores. Write-heavy deployments with several',
    '  processes should use MongoDB (docs/deploy.md; not measured here).',
    '',
    '### Fan-out',
    '',
    fanoutNote(a.fanout),
    '',
  ].join('\n');
}

/** A NORMAL run slower than FULL was decided by the machine, not the disk: say so rather than mislead. */
function disturbed(full: HttpFigure | undefined, normal: HttpFigure | undefined): string {
  if (!full || !normal || normal.reqPerSec >= full.reqPerSec) return '';
  return ` (that run was disturbed: its CPU per request was ${ms(normal.cpuMsPerReq)} ms against ${ms(full.cpuMsPerReq)} with FULL, so the machine, not the disk, set its pace)`;
}

function fanoutNote(f: FanoutFigure[]): string {
  const bare = find(f, 'bare');
  const one = find(f, 'Shine ×1');
  return [
    `Server CPU per broadcast to ${bare?.clients ?? 'n/a'} clients: bare ${ms(bare?.cpuMsPerBroadcast, 1)} ms, Shine ${ms(one?.cpuMsPerBroadcast, 1)} ms: the emit`,
    'itself costs about the same; Shine also authenticates, validates and commits the kudos first. Both emit before',
    'they answer the trigger, so "trigger answered" includes writing to every local client. With 50 broadcasts the',
    'p99 is decided by the slowest one or two, so it varies between runs: in the 10:37 UTC run on 2026-11-23,',
    'with other work starting mid-run (load average rising to 7), the same script measured bare 121 ms, Shine ×1',
    '683 ms (5.6 ×, missed) and Shine ×2 + Redis 69 ms at p99. Read the verdicts of a single run with that in mind.',
  ].join('\n');
}
