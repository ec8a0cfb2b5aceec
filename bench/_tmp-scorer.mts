import { PeriodScorer } from '../src/domain/scoring.js';
import { DEFAULT_RULES } from '../src/domain/scoring-rules.js';
const N = 1_200_000, U = 10_000;
const t0 = Date.parse('2026-01-01T00:00:00.000Z');
const pairs = [];
let x = 1;
const r = () => ((x = (x * 1103515245 + 12345) >>> 0) / 4294967296);
const keys = Array.from({ length: 20 }, (_, i) => `behaviour-${i}`);
for (let i = 0; i < N; i++) pairs.push({ kudosId: `K${String(i).padStart(25, '0')}`, giverId: `u${String(Math.floor(r() * U)).padStart(5, '0')}`, recipientId: `u${String(Math.floor(r() * U)).padStart(5, '0')}`, createdAt: new Date(t0 + i * 2000).toISOString(), recipientCount: 1, behaviourKeys: JSON.parse(JSON.stringify([keys[i % 20], keys[(i * 7) % 20]])) });
const rules = { ...DEFAULT_RULES, weights: Object.fromEntries(keys.map((k) => [k, 1])) };
for (let rep = 0; rep < (Number(process.env.REPS) || 3); rep++) {
  const a = performance.now();
  const s = new PeriodScorer(rules);
  for (const p of pairs) s.add(p);
  const b = performance.now();
  const res = s.finish();
  const c = performance.now();
  const res2 = s.finish({ withBreakdown: true });
  const d = performance.now();
  console.log('add', Math.round(b - a), 'finish', Math.round(c - b), 'finish+breakdown', Math.round(d - c), res.length, res2.length);
}
