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
function load(): typeof BetterSqlite3 {
  const napi = Number(process.versions.napi ?? 0);
  return require(napi >= 10 ? 'better-sqlite3-13' : 'better-sqlite3') as typeof BetterSqlite3;
}

const Database = load();
export default Database;
export type { Database as Db, Statement } from 'better-sqlite3';
