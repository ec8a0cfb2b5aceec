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
  const queue = (f: HttpFigure | undefined) => (f?.cpuMsPerReq ? fixed(a.connections * f.cpuMsPerReq, 0) : 'n/a');
  return [
    '### Why the HTTP targets are missed, and what would meet them',
    '',
    `- **A Shine request does several times the work of a constant JSON answer.** Server CPU per request: POST`,
    `  ${ms(post?.cpuMsPerReq)} ms, feed ${ms(feed?.cpuMsPerReq)} ms, bare Express ${ms(bare?.cpuMsPerReq)} ms. One Node process runs one request at a`,
    `  time, so with ${a.connections} connections waiting the median answer takes about ${a.connections} × CPU per request (≈ ${queue(post)} ms`,
    `  for POST, ${queue(feed)} ms for the feed) before any tail, on cores it shares with the load generator. Half the bare`,
    '  req/s would need the whole authenticated request to cost about two bare requests. Where a feed request goes',
    '  (one `--cpu-prof` profile on 2026-11-23): the sqlite reads of a 20-item page ~26 %',
    '  (about 0.44 ms of six queries: page, recipients, behaviours, givers, reactions, comment counts), Express and',
    '  router ~22 %, request logging ~5 %, GC ~6 %, the rest spread over passport, helmet, metrics and validation.',
    '  POST adds the rate-limit counter commit and the kudos transaction (~32 % in sqlite). An earlier profile',
    '  found another ~20 % in jsonwebtoken parsing the HMAC secret string on every verify; that is fixed',
    '  (`hmacKey` in src/auth/tokens.ts) and these figures include the fix.',
    '- **What would meet them**, for the lead to choose: more processes (the feed scales: see the ×2 GET row); cache',
    '  the newest feed page per audience and drop it on `kudos:*` events (every screen and page load reads it);',
    '  cache the authenticated user for a few seconds keyed by token version; keep rate-limit counters out of the',
    '  sqlite commit path (Redis when configured). A p99 under 50 ms at 50 connections needs well under 1 ms of CPU',
    '  per request from a single process.',
    `- **Durability: every commit waits for the disk, on the event loop.** A one-row commit took ${ms(FULL.p50)} ms (p99`,
    `  ${ms(FULL.p99)} ms) with \`synchronous=FULL\` and ${ms(NORMAL.p50, 3)} ms with \`NORMAL\` in this run; POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} req/s with FULL`,
    `  against ${fixed(normal?.reqPerSec ?? Number.NaN, 0)} with NORMAL. better-sqlite3 blocks the event loop during each fsync, and POST commits twice`,
    '  (counter, kudos). In a run at 10:37 UTC on 2026-11-23, when other engineers\' benchmarks started writing to',
    '  the same disk mid-run (load average rising to 7), POST managed 207 req/s with a p99 of 2.2 s, and a FULL',
    '  commit measured by hand right after took 2.7 ms (p99 11 ms): about 5 ms of every POST spent waiting.',
    '  Keep FULL where a power cut must not lose an acknowledged kudos, and give the database a disk of its own.',
    `- **Two processes on one sqlite file.** Reads scale (GET ${fixed(feed?.reqPerSec ?? Number.NaN, 0)} → ${fixed(feed2?.reqPerSec ?? Number.NaN, 0)} req/s); writes do not`,
    `  (POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} → ${fixed(post2?.reqPerSec ?? Number.NaN, 0)} req/s, CPU per POST ${ms(post?.cpuMsPerReq)} → ${ms(post2?.cpuMsPerReq)} ms). Likely causes: one`,
    "  file lock for both writers (a process waiting for it sleeps in sqlite's busy handler with its event loop",
    "  blocked), each process's page cache being invalidated by the other's commits, and every kudos also going",
    '  through Redis. Write-heavy deployments with several processes should use MongoDB (docs/deploy.md; not measured here).',
    '',
    '### Fan-out',
    '',
    fanoutNote(a.fanout),
    '',
  ].join('\n');
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
