import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3, in the build this Node can run safely. Version 12 wraps its objects in
 * node::ObjectWrap, whose destructor aborts the whole process on Node ≥ 24.19 when a garbage
 * collection finalizes a statement outside JavaScript, or a worker thread ends holding one
 * (nodejs/node#65446): seen here within seconds of load on Node 24.21. Version 13 is built on
 * Node-API 10, which Node 20 lacks. So Node-API 10 and newer (Node ≥ 22.14, production's
 * Node 24) load 13, Node 20 loads 12; the API Shine uses is the same in both.
 */
export const DRIVER_MODULE = Number(process.versions.napi ?? 0) >= 10 ? 'better-sqlite3-13' : 'better-sqlite3';

// Every connection in a process must come from this one module: two copies of SQLite in one
// process do not see each other's file locks (POSIX locks belong to the process), so their
// connections could write at the same time and corrupt the database.
const Database = require(DRIVER_MODULE) as typeof BetterSqlite3;
export default Database;
export type { Database as Db, Statement } from 'better-sqlite3';
