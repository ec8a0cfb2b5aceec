import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { WalSync } from './sqlite-wal-sync.js';

export type Synchronous = 'FULL' | 'NORMAL';

/** How long a statement waits for a lock another connection holds before failing busy. */
export const BUSY_TIMEOUT_MS = 5000;

/** A parameter list for better-sqlite3: positional values or one object of named values. */
export type Params = unknown[];

/**
 * Opens a connection the way every Shine connection must be opened: WAL (readers never block
 * the writer), the configured fsync level, foreign keys enforced, a 5 s busy timeout because
 * a second Shine process may hold the write lock for a moment, and a cache sized for growth.
 */
export function openDatabase(file: string, synchronous: Synchronous): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // 64 MB of page cache (the 2 MB default makes index inserts and GROUP BY sorts hit the
    // disk once there are a few hundred thousand kudos); sorts stay in memory.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** What SqliteDb.version() reports: commits by other connections, and writes made here by effect. */
export interface DbVersion {
  external: number;
  own: number;
  kudosAdded: number;
}

/** Tables a new kudos writes; nothing read about people, the catalog or the rules lives there. */
const KUDOS_INSERT = /^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?:kudos|kudos_recipients|kudos_behaviours|kudos_teams)\s*\(/i;

/** What running a statement can change: nothing, only the kudos tables by adding rows, or anything. */
const enum Effect {
  None,
  KudosAdded,
  Any,
}

/**
 * One open connection plus a cache of prepared statements, keyed by SQL text. Dynamic queries
 * (feed filters, user patches) only ever produce a few dozen distinct texts, so the cache stays
 * small while every statement is compiled once.
 */
export class SqliteDb {
  private readonly statements = new Map<string, { s: Statement; effect: Effect }>();
  private dataVersionStmt: Statement | null = null;
  private external: number | null = null;
  /** Writing statements run on this connection (data_version does not count them), by effect. */
  private ownWrites = 0;
  private ownKudosInserts = 0;

  /**
   * @param walSync set on a synchronous=FULL file connection: group commits then defer their
   *   fsync to it (see WalSync); every other write keeps committing with FULL.
   */
  constructor(readonly db: Db, readonly file: string, readonly walSync: WalSync | null = null) {}

  stmt(sql: string): Statement {
    let entry = this.statements.get(sql);
    if (!entry) {
      const s = this.db.prepare(sql);
      entry = { s, effect: s.readonly ? Effect.None : KUDOS_INSERT.test(sql) ? Effect.KudosAdded : Effect.Any };
      this.statements.set(sql, entry);
    }
    if (entry.effect === Effect.Any) this.ownWrites++;
    else if (entry.effect === Effect.KudosAdded) this.ownKudosInserts++;
    return entry.s;
  }

  get<T>(sql: string, ...params: Params): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: Params): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  run(sql: string, ...params: Params): number {
    return this.stmt(sql).run(...params).changes;
  }

  /**
   * Changes whenever the database may have changed: SQLite's data_version moves with every
   * commit by another connection (another process included), and every writing statement run
   * here counts too, kudos inserts apart from other writes. Equal versions mean equal contents,
   * which is what makes caching reads safe. The pragma costs a read transaction, so its answer
   * is reused until the current synchronous run ends: nothing from outside can be observed
   * within one, so reads started together (e.g. under Promise.all) share one check.
   */
  version(): DbVersion {
    if (this.external === null) {
      this.dataVersionStmt ??= this.db.prepare('PRAGMA data_version').pluck();
      this.external = this.dataVersionStmt.get() as number;
      queueMicrotask(() => {
        this.external = null;
      });
    }
    return { external: this.external, own: this.ownWrites, kudosAdded: this.ownKudosInserts };
  }

  /** Runs `fn` with synchronous=NORMAL: its COMMIT does not wait for the disk; walSync must. */
  withDeferredSync<T>(fn: () => T): T {
    this.db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Runs `fn` with lock waits failing at once (SQLITE_BUSY) instead of sleeping in the busy handler. */
  withoutBusyWait<T>(fn: () => T): T {
    this.db.pragma('busy_timeout = 0');
    try {
      return fn();
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /** Runs `fn` in a BEGIN IMMEDIATE transaction: takes the write lock up front, so read-then-write checks hold. */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

/** A JSON array text for `json_each(?)`, so IN-lists of any length reuse one prepared statement. */
export function jsonList(values: readonly string[]): string {
  return JSON.stringify(values);
}
