import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Store } from './store.js';

export interface StoreOptions {
  mongodbUri: string | null;
  dataDir: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
}

/** Builds only the chosen adapter, so a sqlite install never loads mongoose and vice versa. */
export async function createStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongodbUri) {
    const { MongoStore } = await import('./mongo/mongo.store.js');
    return new MongoStore({ uri: opts.mongodbUri });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const { SqliteStore } = await import('./sqlite/sqlite.store.js');
  return new SqliteStore({ file: join(opts.dataDir, 'shine.db'), synchronous: opts.sqliteSynchronous });
}
