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
  const post2 = find(a.http, '×2 + Redis: POST');
  const feed2 = find(a.http, '×2', 'GET');
  const inline1 = find(a.http, '×1, SHINE_SQLITE_WRITER=event-loop');
  const thread2 = find(a.http, '×2 + Redis, SHINE_SQLITE_WRITER=thread');
  const bareWrite = find(a.http, 'bare', 'better-sqlite3');
  const rate = (f: HttpFigure | undefined) => fixed(f?.reqPerSec ?? Number.NaN, 0);
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
    `- **A post is two pieces of work.** The event loop authenticates, validates and answers it (${ms(main(post))} ms of`,
    '  CPU per post in this run), and the kudos writer thread checks, inserts and commits it with the posts that',
    `  arrived beside it (group commit) on its own sqlite connection (most of the rest of the ${ms(post?.cpuMsPerReq)} ms).`,
    '  The write alone is measured by `bench/writer.ts`: 78–84 µs of CPU per kudos in groups of 12 on Node 20',
    '  (2026-12-07 06:40 UTC; 115–140 µs on the slower machine of 2026-12-06), about 40 % of it system time, FULL and',
    '  NORMAL alike. Most of it is SQLite writing to the WAL the pages a kudos touches: the index by giver and the',
    '  recipient, behaviour and team rows (each kept in one b-tree keyed by person, behaviour or team since schema v8,',
    '  no longer two) each put the new entry on a different page, ~75 pages for a commit of 12 kudos',
    "  (without them a write costs about half). They serve the rate limit, the feed filters (a team's TV wall",
    '  among them) and the rankings, so they stay.',
    bareWriteNote(bare, bareWrite, post, post2),
    '- **Where the commit runs depends on the cores.** The writer thread works on a core the event loop leaves idle,',
    `  but handing posts over and back costs CPU, and each of its commits is another connection's, after which the`,
    "  event loop's connection asks SQLite again and re-reads pages. One process: with the thread (the default)",
    `  ${rate(post)} req/s at ${ms(post?.cpuMsPerReq)} (${ms(main(post))}) ms of CPU per post; committing on the event loop ${rate(inline1)} req/s at`,
    `  ${ms(inline1?.cpuMsPerReq)} (${ms(main(inline1))}) ms. Two processes, whose event loops already keep both cores busy: on their event`,
    `  loops (the default) ${rate(post2)} req/s at ${ms(post2?.cpuMsPerReq)} ms, p99 ${ms(post2?.p99, 0)} ms; with writer threads ${rate(thread2)} req/s at`,
    `  ${ms(thread2?.cpuMsPerReq)} ms, p99 ${ms(thread2?.p99, 0)} ms. Hence \`SHINE_SQLITE_WRITER=auto\`: the thread for one process, the event loop`,
    '  when `SHINE_REDIS_URL` says there are several. (For one process the thread won clearly on the slower machine of',
    '  2026-12-07 03:00–05:00 UTC, 3,051–4,286 against 2,950–3,280 req/s in alternating runs; on the faster one of',
    '  06:40–07:15 UTC the two came out level, within a run\'s noise.)',
    "- **A feed read is mostly its answer.** The newest page is cached while SQLite's `data_version` shows no",
    '  commit from another connection, and served already serialised; what is left is authenticating, one',
    "  freshness check (a read transaction, ~4 µs) and writing ~10 KB to the socket. Bare Express's `/page` row",
    '  shows that last part alone: the same bytes, no authentication, no database.',
    `- **Durability.** A one-row commit took ${ms(FULL.p50)} ms (p99 ${ms(FULL.p99)} ms) with`,
    `  \`synchronous=FULL\` and ${ms(NORMAL.p50, 3)} ms with \`NORMAL\` in this run; POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} req/s with FULL against`,
    `  ${fixed(normal?.reqPerSec ?? Number.NaN, 0)} with NORMAL${normalNote(post, normal)}. Posts that arrive together share one`,
    '  transaction (group commit), and each is answered after that COMMIT, with FULL after its fsync, so an',
    '  acknowledged kudos survives a power cut. With the writer thread, a slow disk holds up the thread, and with',
    '  it the answers to posts, while the event loop goes on serving reads; committing on the event loop, every',
    '  request waits out each fsync. Give the database a disk of its own all the same.',
    '  Over the runs since 2026-11-23 neither has been reliably faster: the fsync NORMAL saves at each commit it',
    '  pays at each checkpoint, for the',
    '  whole WAL at once (`bench/writer.ts --checkpoint-every=16`: ~15 ms a checkpoint against ~5 ms with FULL).',
    `- **Two processes on one sqlite file.** Feed ${fixed(feed?.reqPerSec ?? Number.NaN, 0)} → ${fixed(feed2?.reqPerSec ?? Number.NaN, 0)} req/s, POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} →`,
    `  ${fixed(post2?.reqPerSec ?? Number.NaN, 0)} req/s (CPU per POST ${ms(post?.cpuMsPerReq)} → ${ms(post2?.cpuMsPerReq)} ms).`,
    '  The two processes share one file lock, held through each fsync, so commits take turns; one that finds the lock',
    '  taken asks again on each event-loop turn for 3 ms, then every 1–2 ms, while more posts join its batch (waiting',
    '  a whole timer tick from the first miss, as before 2026-12-07, left the lock idle: ~6,000 against ~7,000–7,500',
    "  req/s on that day's machine). A commit by one process empties the other's cached",
    "  feed and SQLite page cache (but not its cached people, catalog and rules), each turn's kudos also go through",
    '  Redis, and two event loops, Redis and the load generator share two cores, which this load keeps busy: here',
    '  CPU per post decides. Write-heavy deployments with several processes should use MongoDB',
    '  (docs/deploy.md; not measured here).',
    '- **Production runs Node 24**, where bare Express needs a third to a quarter of the CPU per request it needs',
    '  on Node 20, while Shine, which already avoids what Node 20 makes Express pay (`src/http/express-objects.ts`),',
    '  needs about the same on both: see "Node 24 (production\'s runtime), by hand" below. How these figures got',
    '  here, change by change, with what was tried and not kept: `docs/performance-history.md`.',
    '',
    '### Fan-out',
    '',
    fanoutNote(a.fanout),
    '',
  ].join('\n');
}

/**
 * The bare write row against bare `/json` and Shine: how much of the POST target any Express app
 * that keeps its acknowledged kudos could reach on these cores, and how much of that Shine reaches.
 * Absent from results measured before 2026-12-07 17:00 UTC.
 */
function bareWriteNote(bare: HttpFigure | undefined, write: HttpFigure | undefined, post: HttpFigure | undefined, post2: HttpFigure | undefined): string {
  if (!bare || !write || !post) return '';
  const pct = (x: number) => `${fixed(100 * x, 0)} %`;
  const half = bare.reqPerSec / 2;
  return [
    '- **What keeping a kudos costs any Express app.** The row with better-sqlite3 is Express and the write alone: the',
    `  rows of each post committed with the others of its turn, then answered: ${fixed(write.reqPerSec, 0)} req/s, ${pct(write.reqPerSec / bare.reqPerSec)} of bare \`/json\`,`,
    `  at ${ms(write.cpuMsPerReq)} ms of CPU per post. The POST target, half of bare (${fixed(half, 0)} req/s), is ${pct(half / write.reqPerSec)} of what that`,
    "  server managed. Shine's POST, which also authenticates, validates, checks the rate limit, logs and broadcasts,",
    `  reached ${pct(post.reqPerSec / write.reqPerSec)} of its rate with one process${post2 ? ` and ${pct(post2.reqPerSec / write.reqPerSec)} with two` : ''}.`,
  ].join('\n');
}

/**
 * NORMAL slower than FULL: with more CPU per post, not a disturbed run (without an fsync to wait
 * for, commits come sooner, so in smaller groups, each with its fixed costs); with the same CPU
 * per post, the machine's minute-to-minute speed.
 */
function normalNote(full: HttpFigure | undefined, normal: HttpFigure | undefined): string {
  if (!full || !normal || normal.reqPerSec >= full.reqPerSec) return '';
  if (full.cpuMsPerReq === null || normal.cpuMsPerReq === null || normal.cpuMsPerReq <= full.cpuMsPerReq * 1.05) {
    return ` (with as much CPU per POST, ${ms(normal.cpuMsPerReq)} against ${ms(full.cpuMsPerReq)} ms: the difference is the machine's, from minute to minute, not the disk's)`;
  }
  return ` (without an fsync to wait for, commits come sooner and so in smaller groups, each with its fixed costs: CPU per POST ${ms(normal.cpuMsPerReq)} ms against ${ms(full.cpuMsPerReq)} with FULL)`;
}

function fanoutNote(f: FanoutFigure[]): string {
  const bare = find(f, 'bare');
  const one = find(f, 'Shine ×1');
  return [
    `Server CPU per broadcast to ${bare?.clients ?? 'n/a'} clients: bare ${ms(bare?.cpuMsPerBroadcast, 1)} ms, Shine ${ms(one?.cpuMsPerBroadcast, 1)} ms: the emit`,
    'itself costs about the same; Shine also authenticates, validates and commits the kudos first. The bare',
    'broadcaster emits before it answers the trigger, so its "trigger answered" includes writing to every client;',
    'Shine answers first and emits at the end of the event-loop turn (since 2026-11-24). With 50 broadcasts the',
    'p99 is decided by the slowest one or two, so it varies between runs far more than the medians do (one disturbed',
    'run on 2026-11-23 measured Shine ×1 at 5.6 × bare). Read the verdicts of a single run with that in mind.',
  ].join('\n');
}
