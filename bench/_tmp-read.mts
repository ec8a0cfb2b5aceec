import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
const file = '/tmp/benchdb/bench.db';
const db = new Database(file, { readonly: true });
const from = '2026-01-01T00:00:00.000Z', to = '2026-02-01T00:00:00.000Z';
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`).all(from, to));
let t = performance.now(); let n = 0;
for (const row of db.prepare(`SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`).raw(true).iterate(from, to)) n++;
console.log('raw iterate rows', n, Math.round(performance.now() - t));
t = performance.now(); n = 0;
for (const row of db.prepare(`SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`).raw(true).iterate(from, to)) { const r = row as string[]; JSON.parse(r[3]!); JSON.parse(r[4]!); n++; }
console.log('raw iterate + parse', n, Math.round(performance.now() - t));
const store = new SqliteStore({ file, synchronous: 'NORMAL' }); await store.init();
t = performance.now(); n = 0;
for await (const p of store.periodPairs(from, to)) n++;
console.log('store pairs', n, Math.round(performance.now() - t));
