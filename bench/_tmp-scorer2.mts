import { PeriodScorer } from '../src/domain/scoring.js';
import { DEFAULT_RULES } from '../src/domain/scoring-rules.js';
import type { ScoringPair } from '../src/domain/types.js';
// Pre-generate compact column data (like rows), create fresh strings per pair to mimic a stream.
const K = 1_000_000, U = 10_000;
const t0 = Date.parse('2026-01-01T00:00:00.000Z');
let x = 12345;
const r = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
const keys = Array.from({ length: 20 }, (_, i) => `behaviour-${i}`);
const rows: string[] = [];
for (let i = 0; i < K; i++) {
  const n = r() < 0.85 ? 1 : r() < 0.6 ? 2 : 3;
  const rec = Array.from({ length: n }, () => `u${String(Math.floor(r() * U)).padStart(5, '0')}`);
  const bk = [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => keys[Math.floor(r() * 20)]!))];
  rows.push(JSON.stringify([`01K${String(i).padStart(23, '0')}`, `u${String(Math.floor(r() * U)).padStart(5, '0')}`, new Date(t0 + i * 2000).toISOString(), rec, bk]));
}
const rules = { ...DEFAULT_RULES, weights: Object.fromEntries(keys.map((k) => [k, 1])) };
function* stream(): Generator<ScoringPair> {
  for (const row of rows) {
    const [kudosId, giverId, createdAt, rec, bk] = JSON.parse(row) as [string, string, string, string[], string[]];
    for (const recipientId of rec) yield { kudosId, giverId, recipientId, createdAt, recipientCount: rec.length, behaviourKeys: bk };
  }
}
for (let rep = 0; rep < (Number(process.env.REPS) || 3); rep++) {
  let c0 = process.cpuUsage(); let a = performance.now(); let n = 0;
  for (const p of stream()) n++;
  const base = process.cpuUsage(c0).user / 1000;
  c0 = process.cpuUsage(); a = performance.now();
  const s = new PeriodScorer(rules);
  for (const p of stream()) s.add(p);
  const addCpu = process.cpuUsage(c0).user / 1000 - base;
  c0 = process.cpuUsage();
  const res = s.finish();
  const finCpu = process.cpuUsage(c0).user / 1000;
  c0 = process.cpuUsage();
  const res2 = s.finish({ withBreakdown: true });
  const fin2Cpu = process.cpuUsage(c0).user / 1000;
  console.log(`pairs ${n} stream-only ${Math.round(base)} add ${Math.round(addCpu)} finish ${Math.round(finCpu)} finish+breakdown ${Math.round(fin2Cpu)} (cpu ms) ${res.length} ${res2.length}`);
}
