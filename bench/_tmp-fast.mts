import Database from 'better-sqlite3';
import { PeriodScorer } from '../src/domain/scoring.js';
import { DEFAULT_RULES } from '../src/domain/scoring-rules.js';
import type { ScoringPair } from '../src/domain/types.js';
const db = new Database('/tmp/benchdb/bench.db', { readonly: true });
const from = '2026-01-01T00:00:00.000Z', to = '2026-02-01T00:00:00.000Z';
const q = `SELECT k.id || char(31) || k.giver_id || char(31) || k.created_at || char(31) || k.recipient_ids || char(31) || k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`;
const list = (json: string): string[] => (json.indexOf('\\') < 0 ? (json === '[]' ? [] : json.slice(2, -2).split('","')) : JSON.parse(json));
async function* pairs(): AsyncGenerator<ScoringPair> {
  for (const row of db.prepare(q).pluck(true).iterate(from, to)) {
    const s = row as string;
    const a = s.indexOf('\x1f'), b = s.indexOf('\x1f', a + 1), c = s.indexOf('\x1f', b + 1), d = s.indexOf('\x1f', c + 1);
    const kudosId = s.slice(0, a), giverId = s.slice(a + 1, b), createdAt = s.slice(b + 1, c);
    const recipients = list(s.slice(c + 1, d)); const behaviourKeys = list(s.slice(d + 1));
    for (const recipientId of recipients) yield { kudosId, giverId, recipientId, createdAt, recipientCount: recipients.length, behaviourKeys };
  }
}
const rules = { ...DEFAULT_RULES, weights: {} };
for (let rep = 0; rep < (Number(process.env.REPS) || 3); rep++) {
  let c0 = process.cpuUsage(); let t = performance.now(); let n = 0;
  for await (const p of pairs()) n++;
  console.log('fast read only', n, 'wall', Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000));
  c0 = process.cpuUsage(); t = performance.now();
  const s = new PeriodScorer(rules); for await (const p of pairs()) s.add(p); const r = s.finish();
  console.log('fast read + score', r.length, 'wall', Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000));
}
