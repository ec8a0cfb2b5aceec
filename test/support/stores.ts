import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/domain/ids.js';
import type { SnapshotLines } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import type { SnapshotChunkDoc } from '../../src/store/mongo/mongo-documents.js';
import type { Models } from '../../src/store/mongo/mongo-models.js';
import { MongoStore } from '../../src/store/mongo/mongo.store.js';
import Database from '../../src/store/sqlite/driver.js';
import { SqliteStore, type SqliteWriterMode } from '../../src/store/sqlite/sqlite.store.js';

export interface StoreKind {
  name: 'sqlite' | 'mongo';
  /** What sets this kind apart from another of the same adapter, shown in the suite's title. */
  variant?: string;
  /** A fresh, initialised, empty store; `dispose` closes it and deletes its data. */
  make(): Promise<{ store: Store; dispose: () => Promise<void> }>;
  /**
   * Behind the Store interface, for the close contract: how many stored rows (sqlite) or pieces
   * (mongo) of breakdown lines a period has, of any close; what a close leaves behind.
   */
  storedLineRows(store: Store, periodId: string): Promise<number>;
  /** Stores lines for a period under a close id no snapshot names, as a close that died before its flip leaves them. */
  stageAbandoned(store: Store, periodId: string, lines: readonly SnapshotLines[]): Promise<void>;
}

/** The file of each sqlite store made here, for a second connection that looks behind the interface. */
const sqliteFiles = new WeakMap<Store, string>();

function withSqliteFile<T>(store: Store, fn: (db: InstanceType<typeof Database>) => T): T {
  const file = sqliteFiles.get(store);
  if (!file) throw new Error('not a sqlite store made by availableStores()');
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The models of a MongoStore (a private field): tests only. */
const modelsOf = (store: Store) => (store as unknown as { models: Models }).models;

let dbCounter = 0;

function sqliteKind(writer: SqliteWriterMode, variant?: string): StoreKind {
  return {
    name: 'sqlite',
    ...(variant ? { variant } : {}),
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'shine-sqlite-'));
      const store = new SqliteStore({ file: join(dir, 'shine.db'), synchronous: 'NORMAL', writer });
      await store.init();
      sqliteFiles.set(store, join(dir, 'shine.db'));
      return {
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    async storedLineRows(store, periodId) {
      return withSqliteFile(store, (db) => (db.prepare('SELECT COUNT(*) AS n FROM period_snapshot_lines WHERE period_id = ?').get(periodId) as { n: number }).n);
    },
    async stageAbandoned(store, periodId, lines) {
      const closeId = newId();
      withSqliteFile(store, (db) => {
        const insert = db.prepare('INSERT INTO period_snapshot_lines (close_id, period_id, user_id, lines) VALUES (?, ?, ?, ?)');
        for (const l of lines) insert.run(closeId, periodId, l.userId, JSON.stringify(l.lines));
      });
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
      async storedLineRows(store, periodId) {
        return modelsOf(store).periodSnapshotChunks.countDocuments({ periodId, part: 'lines' });
      },
      async stageAbandoned(store, periodId, lines) {
        const closeId = newId();
        const docs: SnapshotChunkDoc[] = lines.map((l, index) => ({
          _id: `${closeId}:lines:${l.userId}:0`, closeId, periodId, part: 'lines', index, text: JSON.stringify(l.lines), userId: l.userId, pieces: 1,
        }));
        await modelsOf(store).periodSnapshotChunks.insertMany(docs);
      },
    });
  }
  return kinds;
}
