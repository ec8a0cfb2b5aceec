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
    '- **What changed on 2026-11-23** (four sessions; the first generated run of the day measured 1.69 ms of CPU',
    '  per POST and 1.32 ms per feed read, all on the event loop): a small request logger instead of pino-http, log',
    '  lines written in ~4 KB batches; a verified JWT remembered until it expires; one API router with the kudos',
    '  routes first, and the middleware every request passes run as two router layers instead of six; no ETag on',
    '  API answers; hot reads (the signed-in user, the newest feed page, the catalog, the rules) cached while',
    '  `PRAGMA data_version`, the cache epoch (schema v4) and the connection\'s own write counter prove them',
    '  current; an unchanged feed page serialised once; and posting on a **writer thread**: the checks, inserts,',
    '  COMMIT and fsync of new kudos run on a thread with its own connection, so the event loop only hands the',
    '  write over and sends the answer (event-loop CPU per POST 0.78 → 0.64 ms side by side, ~19:32 UTC).',
    '- **And in the fourth session** (~22:00 UTC): posts go to the writer thread as soon as the task that made',
    '  them ends, not at the end of the event-loop pass. Held to the end of the pass, the event loop and the',
    '  thread took turns, each idle while the other worked: the event loop was only ~70 % busy at full load, and',
    '  `synchronous=NORMAL` posted no faster than FULL. Side by side (Node 20, 50 connections, three runs each):',
    '  POST 2150 / 1733 / 2058 → 2755 / 2728 / 2181 req/s; on Node 24, before all of this session\'s changes and',
    '  after them, 3232 / 3647 → 4059 / 4214 req/s. Two processes on one file pay for it (see below).',
    '  The read cache now asks SQLite whether another connection committed',
    '  once per request or live message instead of once per synchronous run of reads (`src/store/freshness.ts`):',
    '  a request that authenticates and then reads asked twice. Timed in the server on Node 24, that pragma',
    '  took ~10 µs, 7–10 % of a feed request. Kudos ids take their randomness from a pool (a `randomBytes` call',
    '  per id was 2 % of the event loop).',
    '- **Tried in the fifth session and not kept** (2026-11-24, ~00:00–01:10 UTC): reading the 48-byte WAL-index',
    '  header at the start of the `-shm` file, which every commit rewrites, and asking `PRAGMA data_version` only',
    '  when it moved. In isolation a check costs 3.5–4.3 µs as the pragma and 2.0 µs as the read (Node 20 and 24);',
    '  in the server, four alternating runs of the feed each way on each runtime told them apart by less than the',
    '  noise. A `--cpu-prof` had put the pragma at 10 % of the feed\'s event loop: on these virtual machines a',
    '  system call is dear (a bare `getppid` takes ~1.4 µs) and the profiler\'s samples land on system calls out of',
    '  proportion, so read such shares as upper bounds. Also measured and not kept: `mmap_size` of 256 MiB with two',
    '  processes on one file (POST 1399 against 1401 req/s, four runs each), and socket.io\'s connection-state',
    '  recovery turned off (POST unchanged). `strace` counts one socket read and one `writev` per feed request,',
    '  ~50 requests per `epoll_wait` at full load, and ~4 `pwrite` calls per kudos on the writer thread (SQLite',
    '  writes each WAL frame as a 24-byte header and a page).',
    '- **The sixth session** (2026-11-24, ~01:40–02:40 UTC) turned socket.io\'s connection-state recovery off for',
    '  security (README, "Live"): it restored a session\'s rooms and resent missed packets before the token was',
    '  checked. Side by side in ABBA order, POST before and after: 2387 / 1844 / 1697 / 1979 against',
    '  2220 / 2271 / 1907 / 1743 req/s, no difference. It also measured the garbage collector with `--trace-gc`',
    '  under POST load: ~70 KB allocated per request, a scavenge every ~50 ms, and each takes 7–11 ms because',
    '  about a quarter of what it finds is still alive (the state of the ~50 requests in flight, each waiting',
    '  ~20 ms for its group commit) and is copied, then promoted. A young generation four times larger',
    '  (`--max-semi-space-size=64`) halved the number of scavenges but made each longer: main-thread scavenge time',
    '  fell by ~20 % (976 / 1037 → 759 / 825 ms per run), POST req/s moved by less than the noise. Not kept.',
    '- **The seventh session** (2026-11-24, ~04:00–05:20 UTC) cut what Express does for every API request:',
    "  helmet's dozen middlewares became the same headers worked out once from helmet (`src/http/security-headers.ts`;",
    '  a test proves them equal); JSON answers are written with `statusCode`, two headers and `end()` instead of',
    "  `res.type().send()`; and the API is dispatched by one find-my-way lookup (`src/http/api-router.ts`) instead of",
    "  Express's router walking its layers, a mounted router and each route. Measured against the build before, two",
    '  ways. Event-loop CPU per request from /proc, ABBA order, for the first two changes: feed 269 / 303 / 237 / 237',
    '  → 216 / 204 / 231 / 219 µs, POST 315 / 389 / 352 / 357 → 306 / 301 / 284 / 307 µs. Instructions per request',
    '  counted by `valgrind --tool=callgrind` (all threads, 1,500 requests after 2,000 of warm-up; a count that does',
    "  not move with the neighbours' load): feed 1.30 / 1.28 M → 1.12 / 1.14 M → 1.07 / 1.08 M with the router (−17 %),",
    '  POST 2.24 M → 2.08 M → 2.02 M (−10 %). Heap sampling: the feed allocated 52 KB per request before the router',
    "  change and 48.5 KB after; most of what routing still allocates is Express's dispatch of the one app-level layer.",
    "  What is left for POST: a callgrind profile puts ~14 % of all instructions in V8's property lookups and",
    '  hidden-class migrations (`LookupIterator`, `MigrateToMap`: the per-request prototypes Express gives `req` and',
    '  `res`), and the writer thread spends ~0.17 ms per kudos whatever `synchronous` says: SQLite writes every page',
    '  a commit touched to the WAL as a header and a page (two `pwrite` calls each), 17.6 pages for a kudos committed',
    '  alone and 8.5 per kudos in groups of ten, because the giver, recipient, behaviour and team indexes each put',
    '  their entry on a different page, and every ~1,000 pages a checkpoint copies them into the database file. Half',
    '  of bare for POST needs the whole process at ≤ ~0.4 ms of CPU per post on these two cores (the load generator',
    `  takes ~0.1 ms per request); this run measured ${ms(post?.cpuMsPerReq)} ms.`,
    '- **The eighth session** (2026-11-24, ~06:10–07:30 UTC) found where Express\'s own time went on Node 20.',
    '  Express 5 gives every request and response its prototypes with `Object.setPrototypeOf`. Before Node 24, doing',
    '  that to a live object costs V8 dearly, in Express and in Node\'s HTTP code after it. CPU per request of Express',
    '  answering with a raw `res.end`, side by side: Node 20 170–225 µs, Node 22 170–220 µs, Node 24 58–59 µs; a bare',
    '  `node:http` server 35–55 µs on each. Shine now has node:http make its requests and responses with Express\'s',
    '  prototypes from the start (`src/http/express-objects.ts`), so that Express\'s `setPrototypeOf` changes nothing:',
    '  53–87 µs on Node 20, 64–84 µs on Node 22. On Node 24 such objects measured slower (76–90 µs), so it is off there.',
    '  Shine on Node 20, whole-process CPU per request, ABBA: POST 742 / 888 → 553 / 563 µs, feed 396 / 512 → 244 / 225 µs.',
    '  The bare Express endpoint still pays that cost, which is why on Node 20 the feed now serves more requests than',
    '  bare Express does: compare with the Node 24 figures at the end of this file, where neither pays it. Two smaller',
    '  changes: group commit runs writes without a SAVEPOINT each and falls back to savepoints only when a write fails',
    '  after it started writing (a SAVEPOINT makes SQLite copy every page a write touches into a sub-journal: writer',
    '  CPU per kudos in batches of ten 220 / 196 / 243 → 138 / 180 / 188 µs), and plain JSON bodies are read without',
    '  body-parser (`src/http/json-body.ts`; callgrind, event-loop instructions per POST 1.151 M → 1.125 M).',
    '- **The ninth session** (2026-11-24, ~08:20–09:30 UTC) took live events between processes off the socket.io',
    '  Redis adapter. The adapter wrote a stream entry per emit, delivered even to the posting process\'s own clients',
    '  only after Redis answered, and had every process decode every entry, its own included. Live events now travel',
    '  on a bus of Shine\'s own (`src/live/redis-bus.ts`): the orders of one event-loop turn (a group commit settles',
    '  ~10–15 posts together) apply locally at the end of the turn and go out as one entry of `<stream>#live`;',
    '  other processes skip their own entries unread. Two processes + Redis, POST, per post, side by side',
    '  (3 rounds, /proc per thread): event loops 252–283 → 193–220 µs, redis-server 18–20 → 12–13 µs, 3011–3311 →',
    '  3442–3722 req/s; in runs of the whole bench, 38 % → 47–56 % of bare and 0.50 → 0.34–0.39 ms of CPU per post. Live',
    '  orders also apply after the turn\'s HTTP answers are written, so a post no longer waits for its broadcast:',
    '  the fan-out trigger, answered at p50 in 21.5 ms with 1,000 clients, is now answered in 3.0 ms. What is left',
    '  of the second process\'s cost was measured too. Group sizes (instrumented writer): one process commits',
    '  ~335 times a second in groups of 13–15, two processes ~115 times a second each in groups of 10.5–11.3 with',
    '  ~125 lock retries a second each. Two connections committing in turn on one file in one thread (the other',
    '  connection\'s commit empties SQLite\'s page cache) cost 100–104 against 95–99 µs per kudos alone: ~5 %. The',
    '  rest is the same work done slower by four busy threads and the load generator on two cores (event loop',
    '  ~+25–45 µs per post without Redis, writer threads ~+40–55 µs per kudos). The writer\'s own floor, Node 20 and 24',
    '  alike (better-sqlite3 12 and 13, micro-benchmark, groups of 11): ~60 µs user and ~40 µs system CPU per kudos,',
    '  of which the statements take ~45 µs (the rate-limit count ~14 µs, here over ~100 rows; the people and',
    '  behaviour lookups ~14 µs; the four inserts ~20 µs) and the WAL writes most of the rest, with FULL and NORMAL',
    '  alike. Those writes are mostly leaf pages of the indexes by giver, recipient, behaviour and team, one page',
    '  per index per kudos: without the four, the same micro-benchmark (no rate-limit count, which needs the giver',
    '  index) takes 43–44 instead of 84–92 µs per kudos, and 14 instead of 44 µs of system time. They serve the',
    '  rate limit, the feed filters (a team\'s TV wall among them) and the rankings, so they stay. With the event',
    '  loop at ~0.1 ms and the load generator at ~0.04 ms per request, Node 24\'s bare Express (~0.04 ms) cannot',
    '  be matched to half on two cores while a kudos write costs ~0.1 ms.',
    '- **Where a request goes now** (`--cpu-prof`, Node 20, 2026-11-23 ~22:20 UTC): on the event loop, POST spends',
    "  ~17 % in GC, ~22 % in Express (router, response helpers, body parsing), ~30 % in Node's HTTP code and",
    '  socket writes, ~4 % asking SQLite for other connections\' commits, ~4 % in the use case, ~4 % handing writes',
    '  to the writer thread and taking its answers, ~3 % in logging and ~2 % in zod. A `perf` profile puts ~12 % of',
    "  the event loop in V8's inline-cache misses, in bare Express just as much (12.7 %): Express 5 gives every",
    '  request and response object a new prototype, so code reading their properties goes megamorphic. The',
    '  writer thread spends ~80 % of its busy time inside the transaction, mostly COMMIT with its fsync. The feed',
    '  on Node 24 (~22:10 UTC) spends about half of its event-loop time writing the ~12 KB page to the socket,',
    "  which bare Express's 50-byte answer does not pay. Production runs Node 24: see the notes at the end of this file.",
    `- **Durability without stopping the event loop.** A one-row commit took ${ms(FULL.p50)} ms (p99 ${ms(FULL.p99)} ms) with`,
    `  \`synchronous=FULL\` and ${ms(NORMAL.p50, 3)} ms with \`NORMAL\` in this run; POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} req/s with FULL against`,
    `  ${fixed(normal?.reqPerSec ?? Number.NaN, 0)} with NORMAL${normalNote(post, normal)}. Posts that reach the writer thread together share one`,
    '  transaction (group commit), and each is answered after that COMMIT, with FULL after its fsync, so an',
    '  acknowledged kudos survives a power cut. A slow disk holds up the writer thread, and with it the answers to',
    '  posts, while the event loop goes on serving reads. Give the database a disk of its own all the same.',
    `- **Two processes on one sqlite file.** Feed ${fixed(feed?.reqPerSec ?? Number.NaN, 0)} → ${fixed(feed2?.reqPerSec ?? Number.NaN, 0)} req/s, POST ${fixed(post?.reqPerSec ?? Number.NaN, 0)} →`,
    `  ${fixed(post2?.reqPerSec ?? Number.NaN, 0)} req/s (CPU per POST ${ms(post?.cpuMsPerReq)} → ${ms(post2?.cpuMsPerReq)} ms). The two writer threads share one file lock, held`,
    '  through each fsync, so commits take turns; one that finds the lock taken retries from a timer while more',
    "  posts join its batch. A commit by one process empties the other's cached feed and SQLite page cache (but no",
    '  longer its cached people, catalog and rules), each turn\'s kudos also go through Redis, and two event loops, two',
    '  writer threads, Redis and the load generator share two cores, which this load keeps busy: here CPU per post',
    '  decides, and posting each task\'s writes at once costs more of it than posting once per pass (side by side,',
    '  six runs each, 22:25–22:55 UTC: 1206–1926 req/s before, median 1734; 981–1702 after, median 1501). Three',
    '  middle ways measured in between (one batch in flight at a time; at once only to an idle writer thread, else',
    '  at the end of the pass; a writer that waits 1 ms before taking the lock again after a contended commit)',
    '  were no better on both counts. Write-heavy deployments with several processes should use MongoDB',
    '  (docs/deploy.md; not measured here).',
    '',
    '### Fan-out',
    '',
    fanoutNote(a.fanout),
    '',
  ].join('\n');
}

/**
 * NORMAL slower than FULL is not a disturbed run: without an fsync to wait for, the writer
 * thread commits sooner, so in smaller groups, and each commit has its fixed costs.
 */
function normalNote(full: HttpFigure | undefined, normal: HttpFigure | undefined): string {
  if (!full || !normal || normal.reqPerSec >= full.reqPerSec) return '';
  return ` (without an fsync to wait for, the writer thread commits sooner and so in smaller groups, each with its fixed costs: CPU per POST ${ms(normal.cpuMsPerReq)} ms against ${ms(full.cpuMsPerReq)} with FULL)`;
}

function fanoutNote(f: FanoutFigure[]): string {
  const bare = find(f, 'bare');
  const one = find(f, 'Shine ×1');
  return [
    `Server CPU per broadcast to ${bare?.clients ?? 'n/a'} clients: bare ${ms(bare?.cpuMsPerBroadcast, 1)} ms, Shine ${ms(one?.cpuMsPerBroadcast, 1)} ms: the emit`,
    'itself costs about the same; Shine also authenticates, validates and commits the kudos first. The bare',
    'broadcaster emits before it answers the trigger, so its "trigger answered" includes writing to every client;',
    'Shine answers first and emits at the end of the event-loop turn (since 2026-11-24). With 50 broadcasts the',
    'p99 is decided by the slowest one or two, so it varies between runs: in the 10:37 UTC run on 2026-11-23,',
    'with other work starting mid-run (load average rising to 7), the same script measured bare 121 ms, Shine ×1',
    '683 ms (5.6 ×, missed) and Shine ×2 + Redis 69 ms at p99. Read the verdicts of a single run with that in mind.',
  ].join('\n');
}
