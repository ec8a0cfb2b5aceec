import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { MongoStore } from '../../src/store/mongo/mongo.store.js';
import { SqliteStore, type SqliteWriterMode } from '../../src/store/sqlite/sqlite.store.js';

export interface StoreKind {
  name: 'sqlite' | 'mongo';
  /** What sets this kind apart from another of the same adapter, shown in the suite's title. */
  variant?: string;
  /** A fresh, initialised, empty store; `dispose` closes it and deletes its data. */
  make(): Promise<{ store: Store; dispose: () => Promise<void> }>;
}

let dbCounter = 0;

function sqliteKind(writer: SqliteWriterMode, variant?: string): StoreKind {
  return {
    name: 'sqlite',
    ...(variant ? { variant } : {}),
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'shine-sqlite-'));
      const store = new SqliteStore({ file: join(dir, 'shine.db'), synchronous: 'NORMAL', writer });
      await store.init();
      return {
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * sqlite posting through its writer thread (SHINE_SQLITE_WRITER=thread) instead of the default
 * connection: the store contract holds for both (store.contract.test.ts); the HTTP suites run on
 * the default only.
 */
export const sqliteWriterThreadKind = (): StoreKind => sqliteKind('thread', 'writer thread');

/** Every adapter that can run in this test run: sqlite always, mongo when the global setup found one. */
export function availableStores(): StoreKind[] {
  const kinds: StoreKind[] = [sqliteKind('event-loop')];
  const uri = process.env.SHINE_TEST_MONGO_URI;
  if (uri) {
    kinds.push({
      name: 'mongo',
      async make() {
        const dbName = `shine_test_${process.pid}_${++dbCounter}`;
        const store = new MongoStore({ uri, dbName });
        await store.init();
        return {
          store,
          dispose: async () => {
            await store.dropDatabase();
            await store.close();
          },
        };
      },
    });
  }
  return kinds;
}
