/**
 * One measurement of bench/scores.ts, in a process of its own (so its peak RSS is its own), on
 * the compiled build. bench/scores.ts compiles this file to plain JavaScript and runs it with
 * plain `node`: run under tsx, every reader thread the store starts would inherit tsx's loader
 * (hundreds of ms of CPU and ~50 MB per report), a cost operators never pay.
 *
 *   node scores-measure.mjs <repo root> <scenario> <db file> <period id>   → sends a Measurement to the parent
 */
import type { PairBatch } from '../src/domain/pair-batch.js';

/**
 * report: the open period's payroll CSV. scores: everyone's scores with their lines (the original
 * contract's answer); summary: everyone without lines (breakdown=false, what the pages load);
 * page: the first 50 people with lines (limit=50). close: closing the period (scoring it and writing
 * the snapshot), run on a copy; closed-*: the same reads of the closed copy. phases: time apart.
 */
export type Scenario = 'report' | 'scores' | 'summary' | 'page' | 'close' | 'closed-summary' | 'closed-page' | 'phases';

export interface Measurement {
  scenario: Scenario;
  ms: number;
  /** user + system CPU of the measured section, all threads: less sensitive than wall time to other load. */
  cpuMs: number;
  maxRssMiB: number;
  detail: Record<string, number | string>;
}

async function compiled(root: string) {
  const dist = (path: string) => new URL(`dist/src/${path}`, root).href;
  return {
    periods: (await import(dist('domain/periods.js'))) as typeof import('../src/domain/periods.js'),
    rules: (await import(dist('domain/scoring-rules.js'))) as typeof import('../src/domain/scoring-rules.js'),
    scoring: (await import(dist('domain/scoring.js'))) as typeof import('../src/domain/scoring.js'),
    sqlite: (await import(dist('store/sqlite/sqlite.store.js'))) as typeof import('../src/store/sqlite/sqlite.store.js'),
  };
}

async function measure(root: string, scenario: Scenario, file: string, periodId: string): Promise<Measurement> {
  const { periods: { closePeriod, getPeriodScores, getReport }, rules: { loadRules }, scoring: { PeriodScorer }, sqlite: { SqliteStore } } = await compiled(root);
  const store = new SqliteStore({ file, synchronous: 'NORMAL' });
  await store.init();
  const detail: Record<string, number | string> = {};
  // Sized after the clock stops: the figures are "before JSON serialisation", as before.
  let answer: unknown = null;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (scenario === 'report') {
    const report = await getReport(store, periodId);
    detail.csvBytes = Buffer.byteLength(report.csv, 'utf8');
  } else if (scenario === 'close') {
    // The longest time a 10 ms timer could not fire: how long the close held the event loop at once.
    // Written out, not test/support/stall-watch.ts: this file runs alone, compiled into a temp dir.
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    const period = await closePeriod(store, periodId, 'bench', Date.now());
    longest = Math.max(longest, performance.now() - last);
    clearInterval(tick);
    detail.status = period.status;
    detail.longestStallMs = Math.round(longest);
  } else if (scenario !== 'phases') {
    const q = {
      scope: 'all' as const,
      breakdown: !scenario.endsWith('summary'),
      page: scenario.endsWith('page') ? { after: null, limit: 50 } : undefined,
    };
    const scores = await getPeriodScores(store, periodId, q);
    detail.people = scores.items.length;
    detail.lines = scores.items.reduce((n, i) => n + i.breakdown.length, 0);
    answer = scores;
  } else {
    const period = await store.getPeriod(periodId);
    if (!period) throw new Error('no period');
    // Buffered here only to time the scorer apart from the store; the use cases stream.
    const batches: PairBatch[] = [];
    for await (const b of store.periodPairBatches(period.startsAt, period.endsAt)) batches.push(b);
    const pairs = batches.reduce((n, b) => n + b.recipient.length, 0);
    const t1 = performance.now();
    const scorer = new PeriodScorer(await loadRules(store));
    const t2 = performance.now();
    for (const b of batches) scorer.addBatch(b);
    const t3 = performance.now();
    const results = scorer.finish();
    const t4 = performance.now();
    detail.pairs = pairs;
    detail.readPairsMs = Math.round(t1 - t0);
    detail.addMs = Math.round(t3 - t2);
    detail.finishMs = Math.round(t4 - t3);
    detail.recipients = results.length;
  }
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  if (answer) detail.jsonMiB = Math.round((Buffer.byteLength(JSON.stringify(answer), 'utf8') / 2 ** 20) * 10) / 10;
  await store.close();
  return { scenario, ms, cpuMs, maxRssMiB, detail };
}

const [root, scenario, file, periodId] = process.argv.slice(2);
if (root && scenario && file && periodId) {
  measure(root, scenario as Scenario, file, periodId).then(
    (m) => process.send?.(m),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
