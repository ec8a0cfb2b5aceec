import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
const store = new SqliteStore({ file: '/tmp/benchdb/bench.db', synchronous: 'NORMAL' }); await store.init();
let i = 0;
for await (const p of store.periodPairs('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')) { if (i++ < 4) console.log(p); else break; }
