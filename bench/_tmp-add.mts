import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
import { PeriodScorer } from '../src/domain/scoring.js';
import { DEFAULT_RULES } from '../src/domain/scoring-rules.js';
import type { ScoringPair } from '../src/domain/types.js';
const store = new SqliteStore({ file: '/tmp/benchdb/bench.db', synchronous: 'NORMAL' }); await store.init();
const all: ScoringPair[] = [];
let c0 = process.cpuUsage();
for await (const p of store.periodPairs('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')) all.push(p);
console.log('collect', all.length, Math.round(process.cpuUsage(c0).user / 1000));
for (let rep = 0; rep < 4; rep++) {
  c0 = process.cpuUsage();
  const s = new PeriodScorer({ ...DEFAULT_RULES, weights: {} });
  for (const p of all) s.add(p);
  const a = process.cpuUsage(c0).user / 1000; c0 = process.cpuUsage();
  const r = s.finish();
  console.log('add', Math.round(a), 'finish', Math.round(process.cpuUsage(c0).user / 1000), r.length);
}
