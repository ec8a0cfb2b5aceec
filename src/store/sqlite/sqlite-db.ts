import { committedHere, freshnessMark } from '../freshness.js';
import Database from './driver.js';
import { isBusy, lockRetryDelay, pause } from './sqlite-lock-wait.js';
import type { Database as Db, Statement } from 'better-sqlite3';

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
  /** Moves with every commit by another connection (this process's writer thread included). */
  external: number;
  /** Moves with every commit anywhere that changed people, the catalog or settings (migration 4). */
  epoch: number;
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
  private epochStmt: Statement | null = null;
  private external = -1;
  /** The freshness mark `external` was read under (see freshness.ts). */
  private checkedAt = -1;
  /** data_version when the epoch was last read, and what it read. */
  private epochAt = -1;
  private epoch = -1;
  /** Writing statements run on this connection (data_version does not count them), by effect. */
  private ownWrites = 0;
  private ownKudosInserts = 0;

  constructor(readonly db: Db, readonly file: string) {}

  stmt(sql: string): Statement {
    let entry = this.statements.get(sql);
    if (!entry) {
      const s = this.db.prepare(sql);
      entry = { s, effect: s.readonly ? Effect.None : KUDOS_INSERT.test(sql) ? Effect.KudosAdded : Effect.Any };
      this.statements.set(sql, entry);
    }
    if (entry.effect !== Effect.None) {
      if (entry.effect === Effect.Any) this.ownWrites++;
      else this.ownKudosInserts++;
      committedHere();
    }
    return entry.s;
  }

  /** How many writing statements this connection has started; moves before each one runs. */
  get writesStarted(): number {
    return this.ownWrites + this.ownKudosInserts;
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
   * commit by another connection (another process, or this process's writer thread), and
   * every writing statement run here counts too, kudos inserts apart from other writes. Equal
   * versions mean equal contents, which is what makes caching reads safe. When data_version
   * moved, the cache epoch (a counter that triggers move with every change to people, the
   * catalog and settings) tells whether that part changed too; it is read before whatever the
   * caller then reads, so a cached value is never older than the epoch it is filed under.
   * The pragma costs a read transaction (and file-lock system calls), so its answer is kept
   * while the freshness mark stands still: within one request, not across requests, commits
   * made in this process or event-loop iterations (freshness.ts).
   */
  version(): DbVersion {
    const mark = freshnessMark();
    if (this.checkedAt !== mark) {
      this.dataVersionStmt ??= this.db.prepare('PRAGMA data_version').pluck();
      const external = this.dataVersionStmt.get() as number;
      if (external !== this.epochAt) {
        this.epoch = this.readEpoch(external);
        this.epochAt = external;
      }
      this.external = external;
      this.checkedAt = mark;
    }
    return { external: this.external, epoch: this.epoch, own: this.ownWrites, kudosAdded: this.ownKudosInserts };
  }

  /** The cache epoch; before migration 4 there is none, and every commit counts as a change. */
  private readEpoch(external: number): number {
    try {
      this.epochStmt ??= this.db.prepare('SELECT n FROM cache_epoch WHERE id = 1').pluck();
      return (this.epochStmt.get() as number | undefined) ?? -external;
    } catch {
      return -external;
    }
  }

  /** Runs `fn` with lock waits failing at once (SQLITE_BUSY) instead of sleeping in the busy handler. */
  withoutBusyWait<T>(fn: () => T): T {
    // Not a prepared statement run again: SQLite applies busy_timeout while preparing the pragma.
    this.db.pragma('busy_timeout = 0');
    try {
      return fn();
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  /**
   * Runs `fn` in a BEGIN IMMEDIATE transaction: takes the write lock up front, so read-then-write
   * checks hold. Waits for a taken lock in SQLite's busy handler, stopping the thread: for start-up
   * and closing, where nothing else runs; requests use writeSoon.
   */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * As `write`, without stopping the event loop while another connection holds the write lock
   * (sqlite-lock-wait.ts): asks again on later turns for up to `lockWaitMs`, then fails busy as the
   * busy handler would have. BEGIN IMMEDIATE is the only statement of the transaction that can be
   * refused the lock, so a refused attempt has run nothing of `fn`.
   */
  async writeSoon<T>(fn: () => T, lockWaitMs = BUSY_TIMEOUT_MS): Promise<T> {
    const since = Date.now();
    let delayMs = 0;
    for (;;) {
      try {
        return this.withoutBusyWait(() => this.write(fn));
      } catch (err) {
        if (!isBusy(err) || this.db.inTransaction || Date.now() - since >= lockWaitMs) throw err;
      }
      delayMs = lockRetryDelay(Date.now() - since, delayMs);
      await pause(delayMs);
    }
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
