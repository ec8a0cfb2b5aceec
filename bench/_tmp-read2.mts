import Database from 'better-sqlite3';
const db = new Database('/tmp/benchdb/exp.db');
const from = '2026-01-01T00:00:00.000Z', to = '2026-02-01T00:00:00.000Z';
let t = performance.now();
db.exec(`CREATE INDEX IF NOT EXISTS kudos_pairs ON kudos (created_at, id, giver_id, recipient_ids, behaviour_keys) WHERE removed_at IS NULL`);
console.log('index build', Math.round(performance.now() - t));
const q = `SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`;
console.log(db.prepare('EXPLAIN QUERY PLAN ' + q).all(from, to));
for (let rep = 0; rep < 2; rep++) {
t = performance.now(); let n = 0; let c0 = process.cpuUsage();
for (const row of db.prepare(q).raw(true).iterate(from, to)) n++;
console.log('covering raw iterate', n, Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000));
t = performance.now(); n = 0; c0 = process.cpuUsage();
for (const row of db.prepare(q).raw(true).all(from, to)) n++;
console.log('covering raw all', n, Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000));
t = performance.now(); n = 0; c0 = process.cpuUsage();
for (const row of db.prepare(q).raw(true).iterate(from, to)) { const r = row as string[]; JSON.parse(r[3]!); JSON.parse(r[4]!); n++; }
console.log('covering iterate+parse', n, Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000));
}
