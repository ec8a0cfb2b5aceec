import { StoreUnavailableError } from '../../domain/errors.js';
import type {
  AuditEntry, Behaviour, BehaviourPatch, Comment, Cursor, Display, FeedFilter, Iso, KudosRecord,
  LeaderboardQuery, LeaderboardRow, NewComment, NewDisplay, NewKudos, NewPeriod, NewUser, Page,
  DisplayPatch, PageRequest, Period, PeriodSnapshot, Role, ScoringRules, SnapshotLines, StoredResponse, User, ClaimedResponse,
  TeamCount, UserCounts, UserFilter, UserPatch, Viewer,
} from '../../domain/types.js';
import type { PairBatch } from '../../domain/pair-batch.js';
import type { KudosWriteOptions, Store } from '../store.js';
import { migrate } from './migrations.js';
import { SqliteBehaviours } from './sqlite-behaviours.store.js';
import { openDatabase, SqliteDb, type Synchronous } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';
import { SqliteInsight } from './sqlite-insight.store.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { insertKudos } from './sqlite-kudos-insert.js';
import { SqliteKudos } from './sqlite-kudos.store.js';
import { inThreadWriter, writerThreadFor, type KudosWriter } from './sqlite-kudos-writer.js';
import { SqliteMisc } from './sqlite-misc.store.js';
import { SqlitePeriods } from './sqlite-periods.store.js';
import { ReadCache } from './sqlite-read-cache.js';
import { SqliteUsers } from './sqlite-users.store.js';

/**
 * Where a file-backed store commits new kudos. `event-loop`: on its own connection, in group
 * commits between requests; the least CPU per post, but the event loop waits out each commit's
 * fsync. `thread`: on the process's writer thread with a connection of its own, which uses a core
 * the event loop leaves idle and lets reads go on while a slow disk syncs; handing posts over and
 * back, and the second connection, cost CPU. create-store.ts chooses (sqliteWriterFor).
 */
export type SqliteWriterMode = 'event-loop' | 'thread';

export interface SqliteStoreOptions {
  file: string;
  synchronous: Synchronous;
  /** Default `event-loop`; an in-memory database always writes on its own connection. */
  writer?: SqliteWriterMode;
}

export interface SqliteDiagnostics {
  journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
  schemaVersion: number;
  integrity: string;
}

/** The per-resource halves of the store, all sharing one connection. */
interface Parts {
  d: SqliteDb;
  writer: KudosWriter;
  users: SqliteUsers;
  behaviours: SqliteBehaviours;
  kudos: SqliteKudos;
  insight: SqliteInsight;
  periods: SqlitePeriods;
  misc: SqliteMisc;
  cache: ReadCache;
}

/**
 * The single-file adapter: better-sqlite3 (synchronous: a read finishes its work before its
 * promise settles; a write runs as one transaction once it has the write lock, which it waits
 * for with the event loop turning, and closePeriod writes in slices with it turning between
 * them), WAL, migrations on init. Each resource lives in its own sqlite-*.store.ts; this class
 * only owns the connection and turns driver errors into ours.
 */
export class SqliteStore implements Store {
  readonly name = 'sqlite' as const;
  private parts: Parts | null = null;

  constructor(private readonly options: SqliteStoreOptions) {}

  async init(): Promise<void> {
    try {
      if (!this.parts) {
        const { file, synchronous } = this.options;
        const db = openDatabase(file, synchronous);
        const fileBacked = file !== ':memory:' && file !== '';
        const d = new SqliteDb(db, file);
        const writer = fileBacked && this.options.writer === 'thread'
          ? writerThreadFor(file, synchronous)
          : inThreadWriter(new GroupCommit(d, (w) => insertKudos(d, w)));
        this.parts = {
          d,
          writer,
          users: new SqliteUsers(d),
          behaviours: new SqliteBehaviours(d),
          kudos: new SqliteKudos(d, writer),
          insight: new SqliteInsight(d),
          periods: new SqlitePeriods(d),
          misc: new SqliteMisc(d),
          cache: new ReadCache(d),
        };
      }
      migrate(this.parts.d.db);
      // Lines staged by closes that died before their period closed under another close id.
      this.parts.periods.sweepStaleLines();
    } catch (err) {
      throw translateSqliteError(err);
    }
  }

  async close(): Promise<void> {
    const parts = this.parts;
    this.parts = null;
    // Queued kudos were promised a result: commit them and let their fsync finish first.
    await parts?.writer.close();
    parts?.d.close();
  }

  async ping(): Promise<boolean> {
    try {
      return this.call((p) => p.d.get<{ ok: number }>('SELECT 1 AS ok')?.ok === 1);
    } catch {
      return false;
    }
  }

  /**
   * The live connection's settings, for tests and operators: per-connection pragmas cannot be
   * seen from a second connection.
   */
  async diagnostics(): Promise<SqliteDiagnostics> {
    return this.call(({ d }) => ({
      journalMode: String(d.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(d.db.pragma('synchronous', { simple: true })),
      foreignKeys: d.db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: Number(d.db.pragma('busy_timeout', { simple: true })),
      schemaVersion: d.get<{ v: number }>('SELECT MAX(version) AS v FROM schema_migrations')?.v ?? 0,
      integrity: String(d.db.pragma('integrity_check', { simple: true })),
    }));
  }

  /** Runs one synchronous store operation, translating driver errors into domain errors. */
  private call<T>(fn: (p: Parts) => T): T {
    if (!this.parts) throw new StoreUnavailableError('The sqlite store is not open.');
    try {
      return fn(this.parts);
    } catch (err) {
      throw translateSqliteError(err);
    }
  }

  /**
   * As `call`, in one write transaction taken without stopping the event loop while the lock is
   * held elsewhere (the kudos writer thread, another process): see SqliteDb.writeSoon.
   */
  private write<T>(fn: (p: Parts) => T): Promise<T> {
    return this.callAsync((p) => p.d.writeSoon(() => fn(p)));
  }

  /** As `call`, for an operation that awaits between its steps (closing a period writes in slices). */
  private async callAsync<T>(fn: (p: Parts) => Promise<T>): Promise<T> {
    if (!this.parts) throw new StoreUnavailableError('The sqlite store is not open.');
    try {
      return await fn(this.parts);
    } catch (err) {
      throw translateSqliteError(err);
    }
  }

  // People
  async createUser(user: NewUser): Promise<User> { return this.write((p) => p.users.createUser(user)); }
  async getUser(id: string): Promise<User | null> { return this.call((p) => p.cache.get(`user:${id}`, () => p.users.getUser(id), false)); }
  async getUserByEmail(email: string): Promise<User | null> { return this.call((p) => p.users.getUserByEmail(email)); }
  async getUsersByIds(ids: readonly string[]): Promise<User[]> {
    return this.call((p) => p.cache.get(`users:${ids.join(',')}`, () => p.users.getUsersByIds(ids), false));
  }
  async updateUser(id: string, patch: UserPatch): Promise<User | null> {
    return this.write((p) => p.users.updateUser(id, patch));
  }
  async listUsers(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    return this.call((p) => p.users.listUsers(filter, page));
  }
  async allUsers(): Promise<User[]> { return this.call((p) => p.users.allUsers()); }
  async countUsers(filter: { role?: Role; activeOnly?: boolean }): Promise<number> {
    return this.call((p) => p.users.countUsers(filter));
  }
  async listTeams(): Promise<TeamCount[]> { return this.call((p) => p.users.listTeams()); }

  // Behaviour catalog
  async listBehaviours(): Promise<Behaviour[]> { return this.call((p) => p.cache.get('behaviours', () => p.behaviours.listBehaviours(), false)); }
  async getBehaviour(key: string): Promise<Behaviour | null> { return this.call((p) => p.behaviours.getBehaviour(key)); }
  async createBehaviour(b: Behaviour): Promise<Behaviour> { return this.write((p) => p.behaviours.createBehaviour(b)); }
  async updateBehaviour(key: string, patch: BehaviourPatch): Promise<Behaviour | null> {
    return this.write((p) => p.behaviours.updateBehaviour(key, patch));
  }

  // Kudos
  async createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord> {
    return this.call((p) => p.kudos.createKudos(k, options));
  }
  async privateKudosIds(ids: readonly string[]): Promise<Set<string>> {
    return this.call((p) => p.kudos.privateKudosIds(ids));
  }
  async getKudos(id: string, viewerId: string | null): Promise<KudosRecord | null> {
    return this.call((p) => p.kudos.getKudos(id, viewerId));
  }
  async getKudosByIdempotencyKey(giverId: string, key: string): Promise<KudosRecord | null> {
    return this.call((p) => p.kudos.getKudosByIdempotencyKey(giverId, key));
  }
  async feedPage(filter: FeedFilter, page: PageRequest): Promise<Page<KudosRecord>> {
    return this.call((p) => p.cache.get(`feed:${JSON.stringify(filter)}:${JSON.stringify(page)}`, () => p.kudos.feedPage(filter, page)));
  }
  async kudosAfter(filter: FeedFilter, after: Cursor, limit: number): Promise<KudosRecord[]> {
    return this.call((p) => p.kudos.kudosAfter(filter, after, limit));
  }
  async removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): Promise<boolean> {
    return this.write((p) => p.kudos.removeKudos(id, removal));
  }
  async setReaction(kudosId: string, userId: string, emoji: string, on: boolean, at: Iso): Promise<boolean> {
    return this.write((p) => p.kudos.setReaction(kudosId, userId, emoji, on, at));
  }
  async addComment(c: NewComment): Promise<Comment> { return this.write((p) => p.kudos.addComment(c)); }
  async commentsPage(kudosId: string, page: PageRequest): Promise<Page<Comment>> {
    return this.call((p) => p.kudos.commentsPage(kudosId, page));
  }

  // Insight
  async leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]> { return this.call((p) => p.insight.leaderboard(q)); }
  async userCounts(userId: string, viewer: Viewer): Promise<UserCounts> { return this.call((p) => p.insight.userCounts(userId, viewer)); }
  /** Lazy: nothing is read (and a closed store does not throw) until iteration starts. */
  periodPairBatches(from: Iso, to: Iso): AsyncIterable<PairBatch> {
    return { [Symbol.asyncIterator]: () => this.call((p) => p.insight.periodPairBatches(from, to))[Symbol.asyncIterator]() };
  }
  async givenCounts(from: Iso, to: Iso, opts: { publicOnly?: boolean } = {}): Promise<Map<string, number>> {
    return this.call((p) => p.insight.givenCounts(from, to, opts.publicOnly === true));
  }

  // Periods and rules
  async createPeriod(period: NewPeriod): Promise<Period> { return this.write((p) => p.periods.createPeriod(period)); }
  async getPeriod(id: string): Promise<Period | null> { return this.call((p) => p.periods.getPeriod(id)); }
  async listPeriods(): Promise<Period[]> { return this.call((p) => p.periods.listPeriods()); }
  async overlappingPeriods(startsAt: Iso, endsAt: Iso): Promise<Period[]> {
    return this.call((p) => p.periods.overlappingPeriods(startsAt, endsAt));
  }
  async closePeriod(snapshot: PeriodSnapshot, lines?: readonly SnapshotLines[]): Promise<boolean> {
    return this.callAsync((p) => p.periods.closePeriod(snapshot, lines));
  }
  async periodSnapshotLines(periodId: string, userIds?: readonly string[]): Promise<Map<string, unknown>> {
    return this.call((p) => p.periods.periodSnapshotLines(periodId, userIds));
  }
  async getPeriodSnapshot(periodId: string): Promise<PeriodSnapshot | null> {
    return this.call((p) => p.periods.getPeriodSnapshot(periodId));
  }
  async getRules(): Promise<Omit<ScoringRules, 'weights'> | null> { return this.call((p) => p.cache.get('rules', () => p.periods.getRules(), false)); }
  async saveRules(rules: Omit<ScoringRules, 'weights'>, weights: Readonly<Record<string, number>> = {}): Promise<void> {
    await this.write((p) => {
      for (const [key, weight] of Object.entries(weights)) p.behaviours.updateBehaviour(key, { weight });
      p.periods.saveRules(rules);
    });
  }

  // Audit
  async appendAudit(e: AuditEntry): Promise<void> { await this.write((p) => p.misc.appendAudit(e)); }
  async auditPage(page: PageRequest): Promise<Page<AuditEntry>> { return this.call((p) => p.misc.auditPage(page)); }

  // Displays
  async createDisplay(d: NewDisplay): Promise<Display> { return this.write((p) => p.misc.createDisplay(d)); }
  async listDisplays(): Promise<Display[]> { return this.call((p) => p.misc.listDisplays()); }
  async getDisplay(id: string): Promise<Display | null> { return this.call((p) => p.misc.getDisplay(id)); }
  async getDisplayByTokenHash(tokenHash: string): Promise<Display | null> {
    return this.call((p) => p.misc.getDisplayByTokenHash(tokenHash));
  }
  async revokeDisplay(id: string, at: Iso): Promise<boolean> { return this.write((p) => p.misc.revokeDisplay(id, at)); }
  async updateDisplay(id: string, patch: DisplayPatch): Promise<Display | null> {
    return this.write((p) => p.misc.updateDisplay(id, patch));
  }
  async touchDisplay(id: string, at: Iso): Promise<void> { await this.write((p) => p.misc.touchDisplay(id, at)); }

  // Cross-process state
  async getStoredResponse(userId: string, key: string): Promise<StoredResponse | null> {
    return this.call((p) => p.misc.getStoredResponse(userId, key));
  }
  async claimStoredResponse(r: ClaimedResponse, staleBefore: Iso, expiredBefore: Iso): Promise<StoredResponse | null> {
    return this.write((p) => p.misc.claimStoredResponse(r, staleBefore, expiredBefore));
  }
  async completeStoredResponse(claim: ClaimedResponse, status: number, body: string): Promise<void> {
    await this.write((p) => p.misc.completeStoredResponse(claim, status, body));
  }
  async releaseStoredResponse(claim: ClaimedResponse): Promise<void> { await this.write((p) => p.misc.releaseStoredResponse(claim)); }
  async pruneStoredResponses(before: Iso): Promise<void> { await this.write((p) => p.misc.pruneStoredResponses(before)); }
  async hitCounter(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAtMs: number }> {
    return this.write((p) => p.misc.hitCounter(key, windowMs, nowMs));
  }
  async decrementCounter(key: string): Promise<void> { await this.write((p) => p.misc.decrementCounter(key)); }
  async resetCounter(key: string): Promise<void> { await this.write((p) => p.misc.resetCounter(key)); }
  async pruneCounters(nowMs: number): Promise<number> { return this.write((p) => p.misc.pruneCounters(nowMs)); }
}
