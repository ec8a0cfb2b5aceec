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
  const share = (f: HttpFigure | undefined) => (f && bare ? `${fixed((100 * f.reqPerSec) / bare.reqPerSec, 0)} %` : 'n/a');
  return [
    '### Where the time goes',
    '',
    `- **CPU per request decides it.** Server CPU per request in this run: POST ${ms(post?.cpuMsPerReq)} ms, feed`,
    `  ${ms(feed?.cpuMsPerReq)} ms, bare Express ${ms(bare?.cpuMsPerReq)} ms. One Node process runs one request at a time, so with`,
    `  ${a.connections} connections waiting the median answer takes about ${a.connections} × CPU per request (≈ ${queue(post)} ms for POST,`,
    `  ${queue(feed)} ms for the feed), on cores shared with the load generator. POST reached ${share(post)} and the feed ${share(feed)}`,
    '  of bare req/s. Half of bare needs a whole authenticated request in about two bare requests of CPU.',
    '- **What a request no longer pays for** (second session of 2026-11-23; the previous generated run measured',
    `  1.69 ms of CPU per POST and 1.32 ms per feed read, this one ${ms(post?.cpuMsPerReq)} and ${ms(feed?.cpuMsPerReq)}): pino-http (a child logger`,
    '  and a serialised request per request) is replaced by a small request logger, and log lines are written in',
    '  ~4 KB batches instead of one blocking write each; a verified JWT is remembered until it expires (the user is',
    '  still loaded per request); the API routes sit on one router, matched before anything else; API answers carry',
    '  no ETag (a SHA-1 of every feed page); the sqlite store keeps hot reads (the signed-in user, the newest feed',
    "  page, the catalog, the rules) while `PRAGMA data_version` and its own write counter prove the database",
    '  unchanged, and the feed body of an unchanged page is serialised once; the rate-limit check inside each write',
    '  counts at most a window of rows (the previous run counted thousands per post, see Method).',
    '- **Where a request goes now** (one `--cpu-prof` of each on a quiet machine, 2026-11-23 ~17:45 UTC): the feed',
    "  spends ~35 % in Node's HTTP code, mostly writing the ~12 KB page to the socket, ~15 % in GC, ~18 % in sqlite",
    '  (almost all of it the two `PRAGMA data_version` checks, ~8 µs each, that prove the cached user and page',
    "  current), ~9 % in Express's router and response helpers and ~6 % in logging. POST spends ~23 % in the",
    '  commit (fsync, savepoints, WAL checkpoints) and ~21 % in other sqlite work (the checks and five inserts',
    "  of the kudos, two version checks), ~13 % in Node's HTTP code, ~10 % in GC, ~7 % in Express and ~5 % in",
    '  body parsing. What is left is spread thinly. Production runs Node 24: a run there is in the notes at the',
    '  end of this file (bare Express 2.4 × faster, the feed 2 ×, POST barely: its cost is SQLite and the disk).',
    `- **Durability without stopping the event loop.** A one-row commit took ${ms(FULL.p50)} ms (p99 ${ms(FULL.p99)} ms) with`,
    `  \`synchronous=FULL\` and ${ms(NORMAL.p50, 3)} ms with \`NORMAL\` in this run; POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} req/s with FULL against`,
    `  ${fixed(normal?.reqPerSec ?? Number.NaN, 0)} with NORMAL${disturbed(post, normal)}. Posts that arrive in the same event-loop turn share one transaction`,
    '  (group commit), which commits without waiting for the disk; they are answered once an fsync of the WAL',
    '  has finished on the thread pool, so an acknowledged kudos survives a power cut as with FULL while the event',
    '  loop keeps serving. On a quiet disk that changes little; under disk contention it is what keeps POST',
    '  answering: with `dd` writing and fsyncing beside it (2026-11-23, same build with and without), POST went',
    '  from 445 to 573 req/s, p99 from 584 to 171 ms and the slowest answer from 2.6 s to 0.2 s. Give the',
    '  database a disk of its own all the same.',
    `- **Two processes on one sqlite file.** Feed ${fixed(feed?.reqPerSec ?? Number.NaN, 0)} → ${fixed(feed2?.reqPerSec ?? Number.NaN, 0)} req/s, POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} →`,
    `  ${fixed(post2?.reqPerSec ?? Number.NaN, 0)} req/s (CPU per POST ${ms(post?.cpuMsPerReq)} → ${ms(post2?.cpuMsPerReq)} ms). Both writers share one file lock; a process that`,
    "  finds it taken now retries from a timer instead of sleeping in SQLite's busy handler with its event loop",
    "  stopped. Every commit by one process empties the other's read cache and page cache, and every kudos also",
    '  goes through Redis. Write-heavy deployments with several processes should use MongoDB (docs/deploy.md; not',
    '  measured here).',
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
