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
 * bare: the baseline, one SQL statement over the same file with no scoring rules (BARE_PASS_SQL).
 */
export type Scenario = 'report' | 'scores' | 'summary' | 'page' | 'close' | 'closed-summary' | 'closed-page' | 'phases' | 'bare';

/**
 * One SQL pass in better-sqlite3, Shine's code out of the way: each recipient's kudos count,
 * distinct givers and points (the mean weight of each kudos's behaviours, summed) over the
 * period's live kudos. What any scorer of this file must at least read; Shine's rules (damping,
 * reciprocity, caps, tiers, cent-exact lines) come on top. The behaviour keys come from the
 * kudos row's list through json_each (2026-12-07, 1M kudos: 2.6 s; matching each behaviour's key
 * against the list with instr took 4.3 s).
 */
export const BARE_PASS_SQL = `SELECT r.user_id AS user_id, COUNT(*) AS kudos, COUNT(DISTINCT k.giver_id) AS givers,
    SUM((SELECT AVG(b.weight) FROM json_each('["' || replace(k.behaviour_keys, ',', '","') || '"]') j JOIN behaviours b ON b.key = j.value)) AS points
  FROM kudos_recipients r JOIN kudos k ON k.id = r.kudos_id
  WHERE r.created_at >= ? AND r.created_at < ? AND r.removed_at IS NULL AND k.removed_at IS NULL
  GROUP BY r.user_id`;

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

/** The baseline: the period's bounds read, then BARE_PASS_SQL, on a connection of its own. */
async function bare(root: string, file: string, periodId: string): Promise<Measurement> {
  // Only the driver: the baseline's peak RSS should not hold Shine's modules.
  const { default: Database } = (await import(new URL('dist/src/store/sqlite/driver.js', root).href)) as typeof import('../src/store/sqlite/driver.js');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const db = new Database(file, { readonly: true });
  const period = db.prepare('SELECT starts_at AS startsAt, ends_at AS endsAt FROM periods WHERE id = ?').get(periodId) as { startsAt: string; endsAt: string } | undefined;
  if (!period) throw new Error('no period');
  const rows = db.prepare(BARE_PASS_SQL).all(period.startsAt, period.endsAt) as Array<{ kudos: number }>;
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  db.close();
  return {
    scenario: 'bare', ms, cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    detail: { recipients: rows.length, pairs: rows.reduce((n, r) => n + r.kudos, 0) },
  };
}

async function measure(root: string, scenario: Scenario, file: string, periodId: string): Promise<Measurement> {
  if (scenario === 'bare') return bare(root, file, periodId);
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
