import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { MongoStore } from './mongo/mongo.store.js';
import { SqliteStore, type SqliteWriterMode } from './sqlite/sqlite.store.js';
import type { Store } from './store.js';

export interface StoreOptions {
  mongodbUri: string | null;
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  sqliteWriter?: SqliteWriterMode;
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
  return new SqliteStore({ file: join(opts.dataDir, 'shine.db'), synchronous: opts.sqliteSynchronous, writer: opts.sqliteWriter });
}
