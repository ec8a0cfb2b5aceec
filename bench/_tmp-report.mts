import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
import { getReport } from '../src/domain/periods.js';
const store = new SqliteStore({ file: '/tmp/benchdb/bench.db', synchronous: 'NORMAL' }); await store.init();
const [p] = await store.listPeriods();
const t = performance.now(); const c0 = process.cpuUsage();
const r = await getReport(store, p!.id);
const c = process.cpuUsage(c0);
console.log('report wall', Math.round(performance.now() - t), 'cpu user', Math.round(c.user / 1000), 'sys', Math.round(c.system / 1000), 'maxrss', Math.round(process.resourceUsage().maxRSS / 1024), r.csv.length);
