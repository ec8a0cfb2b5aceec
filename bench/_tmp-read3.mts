import Database from 'better-sqlite3';
const db = new Database('/tmp/benchdb/bench.db', { readonly: true });
const from = '2026-01-01T00:00:00.000Z', to = '2026-02-01T00:00:00.000Z';
const q5 = `SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`;
const q1 = `SELECT k.id FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`;
const qc = `SELECT k.id || ' ' || k.giver_id || ' ' || k.created_at || ' ' || k.recipient_ids || ' ' || k.behaviour_keys FROM kudos k WHERE k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?`;
function time(label: string, fn: () => number) { const c0 = process.cpuUsage(); const t = performance.now(); const n = fn(); console.log(label, n, 'wall', Math.round(performance.now() - t), 'cpu', Math.round(process.cpuUsage(c0).user / 1000)); }
for (let rep = 0; rep < 2; rep++) {
time('5 cols iterate', () => { let n = 0; for (const r of db.prepare(q5).raw(true).iterate(from, to)) n++; return n; });
time('1 col iterate', () => { let n = 0; for (const r of db.prepare(q1).raw(true).iterate(from, to)) n++; return n; });
time('1 col pluck iterate', () => { let n = 0; for (const r of db.prepare(q1).pluck(true).iterate(from, to)) n++; return n; });
time('concat pluck iterate', () => { let n = 0; for (const r of db.prepare(qc).pluck(true).iterate(from, to)) n++; return n; });
time('5 cols + JSON.parse x2', () => { let n = 0; for (const r of db.prepare(q5).raw(true).iterate(from, to)) { const a = r as string[]; JSON.parse(a[3]!); JSON.parse(a[4]!); n++; } return n; });
}
