import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { MongoStore } from './mongo/mongo.store.js';
import { SqliteStore, type SqliteWriterMode } from './sqlite/sqlite.store.js';
import type { Store } from './store.js';

export interface StoreOptions {
  mongodbUri: string | null;
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  sqliteWriter: SqliteWriterMode | 'auto';
  redisUrl: string | null;
}

/**
 * Resolves SHINE_SQLITE_WRITER=auto. One process on several cores posts through the writer
 * thread, which works on a core the event loop leaves idle: measured faster (docs/performance.md).
 * Several processes (SHINE_REDIS_URL set, which they need to share live events) already keep the
 * cores busy with an event loop each, and there the hand-over to a thread costs more CPU than the
 * commit it moves: each process commits on its own event loop.
 */
export function sqliteWriterFor(opts: Pick<StoreOptions, 'sqliteWriter' | 'redisUrl'>, cores = availableParallelism()): SqliteWriterMode {
  if (opts.sqliteWriter !== 'auto') return opts.sqliteWriter;
  return opts.redisUrl === null && cores > 1 ? 'thread' : 'event-loop';
}

/**
 * Builds only the chosen adapter. Both modules are imported statically on purpose: a dynamic
 * import() from code that a CommonJS loader (mocha + tsx) required would load a second copy of
 * the domain modules, and `instanceof AppError` would then fail across the two copies.
 */
export function createStore(opts: StoreOptions): Store {
  if (opts.mongodbUri) return new MongoStore({ uri: opts.mongodbUri });
  // Only Shine's user may look inside: the database holds password hashes and private kudos.
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  return new SqliteStore({ file: join(opts.dataDir, 'shine.db'), synchronous: opts.sqliteSynchronous, writer: sqliteWriterFor(opts) });
}
