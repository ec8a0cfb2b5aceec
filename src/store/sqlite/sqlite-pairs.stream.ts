import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { Iso, ScoringPair } from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';

/**
 * Separators for the denormalised id lists on kudos rows and for chunk text. ASCII control
 * characters never occur in ids or behaviour keys; writes check that (see assertPlainList).
 */
export const LIST_SEP = '\x1f';
const FIELD_SEP = '\x1e';
const ROW_SEP = '\x1d';
const CONTROL = /[\x1d-\x1f]/;

/** `values` as one TEXT column, for lists that are only ever read back whole. */
export function joinList(values: readonly string[]): string {
  for (const v of values) {
    if (CONTROL.test(v)) throw new Error(`ids and keys may not contain ASCII separators: ${JSON.stringify(v)}`);
  }
  return values.join(LIST_SEP);
}

/** Kudos per chunk: large enough to amortise the query, small enough to keep memory flat. */
const DEFAULT_CHUNK = 4000;

/**
 * SQLite glues each chunk into one string, which JS splits: handing 5 columns × 1M rows to JS
 * one by one costs several times more than one string per few thousand kudos.
 */
const CHUNK_SQL = `SELECT group_concat(line, char(29)) AS text, COUNT(*) AS n FROM (
    SELECT k.id || char(30) || k.giver_id || char(30) || k.created_at || char(30) || k.recipient_ids
      || char(30) || k.behaviour_keys AS line
    FROM kudos k
    WHERE k.removed_at IS NULL AND (k.created_at, k.id) > (?, ?) AND k.created_at < ?
    ORDER BY k.created_at, k.id LIMIT ?)`;

/**
 * The pairs of non-removed kudos in [from, to), read chunk by chunk. A private connection in
 * one read transaction gives the whole stream a single WAL snapshot, however long the consumer
 * takes between pairs, and never holds the main connection (each chunk is one finished query,
 * so writes on the main connection are never blocked by an open cursor).
 */
export function streamPairs(
  d: SqliteDb,
  from: Iso,
  to: Iso,
  chunkSize = DEFAULT_CHUNK,
): AsyncIterableIterator<ScoringPair> {
  const sync = pairs(d, from, to, chunkSize);
  const iterator: AsyncIterableIterator<ScoringPair> = {
    // A plain object instead of an async generator: one resolved promise per pair is
    // measurably cheaper over a million pairs.
    next: () => {
      try {
        return Promise.resolve(sync.next());
      } catch (err) {
        return Promise.reject(translateSqliteError(err));
      }
    },
    return: () => {
      sync.return(undefined);
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function* pairs(d: SqliteDb, from: Iso, to: Iso, chunkSize: number): Generator<ScoringPair, void, undefined> {
  const own = d.file !== ':memory:' && d.file !== '';
  const db: Db = own ? openReader(d.file) : d.db;
  let inTransaction = false;
  try {
    if (own) {
      db.exec('BEGIN');
      inTransaction = true;
    }
    const chunk = db.prepare(CHUNK_SQL).raw(true);
    // Kudos share a handful of behaviour-key combinations: one frozen array per combination.
    const keyLists = new Map<string, readonly string[]>();
    let afterKey = from;
    let afterId = '';
    for (;;) {
      const [text, n] = chunk.get(afterKey, afterId, to, chunkSize) as [string | null, number];
      if (n === 0 || text === null) return;
      // The cursor is the largest (createdAt, id) seen, whatever order group_concat used.
      let maxKey = afterKey;
      let maxId = afterId;
      for (const line of text.split(ROW_SEP)) {
        const [kudosId = '', giverId = '', createdAt = '', recipients = '', keys = ''] = line.split(FIELD_SEP);
        if (createdAt > maxKey || (createdAt === maxKey && kudosId > maxId)) {
          maxKey = createdAt;
          maxId = kudosId;
        }
        let behaviourKeys = keyLists.get(keys);
        if (!behaviourKeys) {
          behaviourKeys = Object.freeze(keys === '' ? [] : keys.split(LIST_SEP));
          keyLists.set(keys, behaviourKeys);
        }
        const recipientIds = recipients === '' ? [] : recipients.split(LIST_SEP);
        const recipientCount = recipientIds.length;
        for (const recipientId of recipientIds) {
          yield { kudosId, giverId, recipientId, createdAt, recipientCount, behaviourKeys };
        }
      }
      if (n < chunkSize) return;
      afterKey = maxKey;
      afterId = maxId;
    }
  } finally {
    if (own) {
      if (inTransaction && db.open && db.inTransaction) db.exec('COMMIT');
      if (db.open) db.close();
    }
  }
}

function openReader(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('query_only = ON');
  return db;
}
