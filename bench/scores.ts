/**
 * Scores and payroll-CSV benchmark on the sqlite store: 10,000 people, 1,000,000 kudos in one
 * period. Target: under 3 s and under 1 GiB peak memory on a 2-core machine.
 *
 *   npm run build && npx tsx bench/scores.ts   generate into a temp dir, measure, delete it
 *   npx tsx bench/scores.ts --db FILE       reuse FILE if it exists (else generate and keep it)
 *   npx tsx bench/scores.ts --no-docs       do not rewrite the "Scores" section of docs/performance.md
 *   npx tsx bench/scores.ts --small         smoke run on 1,000 people / 20,000 kudos (implies --no-docs)
 *
 * Every measurement runs in a fresh child process, so its peak RSS (resourceUsage().maxRSS)
 * belongs to that measurement alone and not to the data generation.
 */
import { fork } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
import { replaceSection } from './lib/docs-section.js';
import { generate } from './scores-data.js';
import type { Measurement, Scenario } from './scores-measure.js';

const FULL = { people: 10_000, teams: 200, kudos: 1_000_000 };
// --small: a quick smoke run of the whole pipeline (never written to the docs).
const SHAPE = process.argv.includes('--small') ? { people: 1_000, teams: 20, kudos: 20_000 } : FULL;
const REPEATS = 3;
const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The measured code is the compiled build (`npm run build`), as production runs it, in plain
 * `node`: see bench/scores-measure.ts, which is compiled here into a temporary file.
 */
function measureChild(dir: string): string {
  const dist = join(HERE, '..', 'dist', 'src');
  const newest = (d: string): number =>
    readdirSync(d, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs), 0);
  const built = join(dist, 'domain', 'periods.js');
  if (!existsSync(built) || newest(join(HERE, '..', 'src', 'domain')) > statSync(built).mtimeMs || newest(join(HERE, '..', 'src', 'store')) > statSync(built).mtimeMs) {
    throw new Error('dist/ is missing or older than src/: run `npm run build` first.');
  }
  const script = join(dir, 'scores-measure.mjs');
  const source = readFileSync(join(HERE, 'scores-measure.ts'), 'utf8');
  writeFileSync(script, transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' }).code);
  return script;
}

function runChild(script: string, scenario: Scenario, file: string, periodId: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const root = pathToFileURL(join(HERE, '..') + '/').href;
    const child = fork(script, [root, scenario, file, periodId], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Measurement | null = null;
    child.on('message', (m) => (result = m as Measurement));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`${scenario} child exited ${code}`))));
  });
}

/** A consistent copy of a closed (checkpointed) database: the main file and any WAL left beside it. */
function copyDatabase(from: string, to: string): void {
  for (const suffix of ['', '-wal']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

function target(label: string, value: number, limit: number, unit: string): string {
  return `| ${label} | ${value < limit ? 'met' : '**missed**'} | ${value} ${unit} |`;
}

/** The answer's JSON size, as the route would send it. */
const json = (ms: Measurement[]) => `${ms[0]?.detail.jsonMiB ?? '?'} MiB of JSON`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function docsSection(runs: Record<Scenario, Measurement[]>, pairs: number, people: number, load: string): string {
  const row = (label: string, ms: Measurement[]) =>
    `| ${label} | ${median(ms.map((m) => m.ms))} ms (max ${Math.max(...ms.map((m) => m.ms))}) | ` +
    `${median(ms.map((m) => m.cpuMs))} ms | ${Math.max(...ms.map((m) => m.maxRssMiB))} MiB |`;
  const phases = runs.phases[0]?.detail ?? {};
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    '## Scores',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run build && npx tsx bench/scores.ts\` (the compiled build) on ${cpu}, ${cpus().length} cores`,
    `shared with other work (load average ${load} when the measurements started), Node ${process.version}, sqlite store`,
    `(synchronous=NORMAL), data written through the Store API. Data: ${people.toLocaleString('en')} active`,
    `people in ${SHAPE.teams} teams, ${SHAPE.kudos.toLocaleString('en')} kudos in one period = ${pairs.toLocaleString('en')} (kudos, recipient) pairs.`,
    `Each figure is a fresh process (cold caches in the process, warm OS page cache), ${REPEATS} runs: median wall time and`,
    'median CPU time (user + system) of the measured section; peak RSS is the largest `process.resourceUsage().maxRSS` of',
    'those runs (whole process, store included). Target: under 3 s and under 1 GiB.',
    '',
    '| Path | Wall time | CPU time | Peak RSS |',
    '| --- | --- | --- | --- |',
    row('Baseline, not Shine: one SQL pass in better-sqlite3 over the same file (per recipient: kudos, distinct givers, summed mean behaviour weight; no scoring rules)', runs.bare),
    row('`GET /periods/:id/report.csv` (open period): rules + users + stream pairs + score + CSV', runs.report),
    row(`\`GET /periods/:id/scores\` as hr: everyone with every line (${json(runs.scores)})`, runs.scores),
    row(`\`…/scores?breakdown=false\`: everyone's figures without lines, as the pages load them (${json(runs.summary)})`, runs.summary),
    row(`\`…/scores?limit=50\`: a page of 50 people with their lines (${json(runs.page)})`, runs.page),
    row(`\`POST /periods/:id/close\`: score with every line, build the CSV, write the snapshot (once, on a copy; the event loop held ${runs.close[0]?.detail.longestStallMs ?? '?'} ms at most)`, runs.close),
    row(`\`…/scores?breakdown=false\` of the closed period (${json(runs['closed-summary'])})`, runs['closed-summary']),
    row(`\`…/scores?limit=50\` of the closed period (${json(runs['closed-page'])})`, runs['closed-page']),
    '',
    '| Target | Result | Measured |',
    '| --- | --- | --- |',
    target('report.csv path under 3 s', median(runs.report.map((m) => m.ms)), 3000, 'ms'),
    target('report.csv path under 1 GiB peak', Math.max(...runs.report.map((m) => m.maxRssMiB)), 1024, 'MiB'),
    target('scores for everyone under 1 GiB peak', Math.max(...runs.scores.map((m) => m.maxRssMiB)), 1024, 'MiB'),
    target('everyone\'s figures (breakdown=false) under 3 s', median(runs.summary.map((m) => m.ms)), 3000, 'ms'),
    target('a page of 50 with lines under 3 s', median(runs.page.map((m) => m.ms)), 3000, 'ms'),
    target('closing under 1 GiB peak', Math.max(...runs.close.map((m) => m.maxRssMiB)), 1024, 'MiB'),
    target('a closed period\'s page under 3 s', median(runs['closed-page'].map((m) => m.ms)), 3000, 'ms'),
    '',
    bareNote(runs),
    '',
    `Where the time goes (one run): reading the pair batches through \`store.periodPairBatches\` alone takes ${phases.readPairsMs} ms;`,
    `\`PeriodScorer.addBatch\` over the same batches (buffered, to time it alone) ${phases.addMs} ms; \`finish()\` (grouping, ordering,`,
    `damping, reciprocity, rounding) ${phases.finishMs} ms. The CSV for ${people.toLocaleString('en')} rows is a few tens of ms. The per-kudos breakdown for everyone`,
    '(1.2 M line objects) is what makes the everyone-with-lines answer heavy, in time, memory and above all bytes: the pages',
    '(/hr, /scores) load everyone\'s figures with `breakdown=false` and one person\'s lines (`?user=`) when a row is opened.',
    'A page (`limit`) builds lines only for its people, but still reads and scores every pair: a score depends on everyone\'s kudos.',
    'A closed period serves the CSV stored at close; its figures come from the snapshot, which since 2026-12-07 keeps each',
    'person\'s lines apart (a period closed before parses everyone\'s lines on every read), so a page reads only its people\'s.',
    '',
  ].join('\n');
}

/** The open period's report against the bare pass: what Shine's rules and CSV cost on top of reading the pairs. */
function bareNote(runs: Record<Scenario, Measurement[]>): string {
  const t = (ms: Measurement[]) => median(ms.map((m) => m.ms));
  const cpu = (ms: Measurement[]) => median(ms.map((m) => m.cpuMs));
  const rss = (ms: Measurement[]) => Math.max(...ms.map((m) => m.maxRssMiB));
  const times = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)} ×` : 'n/a');
  const vs = (ms: Measurement[]) => `${times(t(ms), t(runs.bare))} the bare pass's wall time, ${times(cpu(ms), cpu(runs.bare))} its CPU time and ${times(rss(ms), rss(runs.bare))} its peak RSS`;
  return [
    `Against the baseline: the report.csv path takes ${vs(runs.report)};`,
    `everyone's figures (breakdown=false) ${vs(runs.summary)}.`,
    `The bare pass aggregates inside SQLite, on one thread, and hands ${Number(runs.bare[0]?.detail.recipients ?? 0).toLocaleString('en')} rows to JavaScript.`,
    'Shine reads the period in slices on worker threads (hence less wall than CPU time)',
    'and brings every (kudos, recipient) pair into the scorer, because its rules (damping by giver, reciprocity, caps,',
    'tiers, lines that add up to the cent) need each pair, and the same stream serves the breakdown: that is its memory.',
  ].join('\n');
}

function writeDocs(section: string): void {
  replaceSection(join(HERE, '..', 'docs', 'performance.md'), '## Scores', section);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dbArg = args.indexOf('--db');
  const keep = dbArg >= 0 ? args[dbArg + 1] : undefined;
  const dir = keep ? null : mkdtempSync(join(tmpdir(), 'shine-bench-'));
  const file = keep ?? join(dir ?? '', 'bench.db');
  const log = (msg: string) => console.log(`[bench] ${msg}`);
  const scratch = mkdtempSync(join(tmpdir(), 'shine-bench-measure-'));
  try {
    const script = measureChild(scratch);
    let periodId: string;
    let pairs: number;
    if (keep && existsSync(file)) {
      const store = new SqliteStore({ file, synchronous: 'NORMAL' });
      await store.init();
      const [period] = await store.listPeriods();
      await store.close();
      if (!period) throw new Error(`${file} has no period`);
      periodId = period.id;
      pairs = -1;
      log(`reusing ${file}`);
    } else {
      const t = performance.now();
      const g = await generate(file, SHAPE, log);
      ({ periodId, pairs } = g);
      log(`generated ${g.kudos} kudos / ${g.pairs} pairs in ${Math.round((performance.now() - t) / 1000)} s`);
    }
    const load = loadavg().map((l) => l.toFixed(2)).join(' / ');
    const runs: Record<Scenario, Measurement[]> = { bare: [], report: [], scores: [], summary: [], page: [], close: [], 'closed-summary': [], 'closed-page': [], phases: [] };
    // Closing writes the snapshot, so it runs on a copy, once: the open-period rows can be rerun on `file`.
    const closedFile = join(scratch, 'closed.db');
    for (const scenario of ['phases', 'bare', 'report', 'scores', 'summary', 'page', 'close', 'closed-summary', 'closed-page'] as const) {
      if (scenario === 'close') copyDatabase(file, closedFile);
      for (let i = 0; i < (scenario === 'phases' || scenario === 'close' ? 1 : REPEATS); i++) {
        const m = await runChild(script, scenario, scenario.startsWith('close') ? closedFile : file, periodId);
        runs[scenario].push(m);
        log(`${scenario}: ${m.ms} ms (cpu ${m.cpuMs} ms), peak RSS ${m.maxRssMiB} MiB ${JSON.stringify(m.detail)}`);
      }
    }
    if (pairs < 0) pairs = Number(runs.phases[0]?.detail.pairs ?? 0);
    const people = Number(runs.scores[0]?.detail.people ?? SHAPE.people);
    const section = docsSection(runs, pairs, people, load);
    console.log(`\n${section}`);
    if (!args.includes('--no-docs') && SHAPE === FULL) writeDocs(section);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
