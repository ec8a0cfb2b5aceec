/**
 * The MongoDB adapter. A thin facade: each resource lives in its own file (users, behaviours,
 * kudos, insight, periods, rules, misc); this class owns the connection and its lifecycle.
 */
import mongoose, { type ClientSession, type ConnectOptions, type Connection, type mongo } from 'mongoose';
import { StoreUnavailableError } from '../../domain/errors.js';
import type {
  AuditEntry, Behaviour, BehaviourPatch, Comment, Cursor, Display, FeedFilter, Iso, KudosRecord,
  LeaderboardQuery, LeaderboardRow, NewComment, NewDisplay, NewKudos, NewPeriod, NewUser, Page,
  PageRequest, Period, PeriodSnapshot, ScoringRules, SnapshotLines, StoredResponse, User, UserCounts, Viewer,
  UserFilter, UserPatch, ClaimedResponse, DisplayPatch, TeamCount,
} from '../../domain/types.js';
import type { PairBatch } from '../../domain/pair-batch.js';
import type { KudosWriteOptions, Store } from '../store.js';
import { MongoBehaviours } from './mongo-behaviours.store.js';
import { translateMongoError } from './mongo-errors.js';
import { MongoInsight } from './mongo-insight.store.js';
import { MongoKudos } from './mongo-kudos.store.js';
import { MongoMisc } from './mongo-misc.store.js';
import { rekeyUserNames } from './mongo-name-keys.js';
import { buildModels, syncAllIndexes, type Models } from './mongo-models.js';
import { MongoPeriods } from './mongo-periods.store.js';
import { MongoRules } from './mongo-rules.store.js';
import { MongoUsers } from './mongo-users.store.js';

export interface MongoStoreOptions {
  uri: string;
  /** Overrides the database named in the URI (tests use one database per store). */
  dbName?: string;
  /**
   * How long an operation waits for a usable server before failing with StoreUnavailableError.
   * Short, so a dead database answers 503 quickly instead of hanging requests.
   */
  serverSelectionTimeoutMS?: number;
}

type Rules = Omit<ScoringRules, 'weights'>;

/** How the store connects; options given here win over the same option in the URI. */
export function connectOptions(o: MongoStoreOptions): ConnectOptions {
  return {
    dbName: o.dbName,
    // Fail fast instead of queueing commands while the database is away: callers get 503.
    bufferCommands: false,
    serverSelectionTimeoutMS: o.serverSelectionTimeoutMS ?? 5000,
    // Indexes are built once, here, on purpose, not lazily in the background per model.
    autoIndex: false,
    autoCreate: false,
    // Every read goes to the primary, even if the URI asks for secondaries: the gates
    // (mongo-gate.ts) count on a read after a bumped gate seeing the winner's insert, the
    // idempotency claim re-reads the record its insert collided with, and a request reads back
    // what it just wrote (the sqlite store always reads the latest commit). Two reads of one check
    // sent to two secondaries lagging by different amounts would let the allowance or the period
    // overlap check pass on stale data.
    readPreference: 'primary',
  };
}

export class MongoStore implements Store {
  readonly name = 'mongo' as const;
  private readonly conn: Connection;
  private readonly models: Models;
  private readonly users: MongoUsers;
  private readonly behaviours: MongoBehaviours;
  private readonly kudos: MongoKudos;
  private readonly insight: MongoInsight;
  private readonly periods: MongoPeriods;
  private readonly rules: MongoRules;
  private readonly misc: MongoMisc;
  private opening: Promise<void> | null = null;

  constructor(private readonly options: MongoStoreOptions) {
    // A dedicated connection, not mongoose's global one, so several stores can live in one
    // process (the contract suite opens one per test database).
    this.conn = mongoose.createConnection();
    this.models = buildModels(this.conn);
    this.users = new MongoUsers(this.models);
    this.behaviours = new MongoBehaviours(this.models);
    this.kudos = new MongoKudos(this.models);
    this.insight = new MongoInsight(this.models);
    this.periods = new MongoPeriods(this.models);
    this.rules = new MongoRules(this.models, { startSession: () => this.startSession() });
    this.misc = new MongoMisc(this.models);
  }

  /**
   * Connects, builds every index (unique rules included), re-keys stale name keys and sweeps
   * closed periods' orphan snapshot chunks. Idempotent; retried after a failure.
   */
  init(): Promise<void> {
    this.opening ??= this.open().catch((err: unknown) => {
      this.opening = null;
      throw translateMongoError(err);
    });
    return this.opening;
  }

  private async open(): Promise<void> {
    if (this.conn.readyState !== mongoose.ConnectionStates.connected) {
      await this.conn.openUri(this.options.uri, connectOptions(this.options));
    }
    await syncAllIndexes(this.models);
    // Keys written by an older build (before accent folding); see mongo-name-keys.ts.
    await rekeyUserNames(this.models.users);
    // Snapshot chunks of closes that died or lost, once their period is closed (after syncing: the sweep's index).
    await this.periods.sweepOrphanChunks();
  }

  /**
   * A session on the driver's client, for transactions. Not mongoose's startSession: it waits
   * for a first connection (bufferCommands is off on the models, not on the connection), so a
   * store that never connected would hang 10 s and then fail as a 500; like every other
   * operation it answers 503 at once instead.
   */
  private async startSession(): Promise<ClientSession> {
    const client = this.conn.getClient() as mongo.MongoClient | undefined;
    if (!client) throw new StoreUnavailableError('The store is not connected.');
    return client.startSession();
  }

  async close(): Promise<void> {
    this.opening = null;
    await this.conn.close();
  }

  async ping(): Promise<boolean> {
    const db = this.conn.db;
    if (!db || this.conn.readyState !== mongoose.ConnectionStates.connected) return false;
    try {
      const r = await db.command({ ping: 1 });
      return r.ok === 1;
    } catch {
      return false;
    }
  }

  /** Deletes this store's whole database; for tests. */
  async dropDatabase(): Promise<void> {
    if (this.conn.readyState !== mongoose.ConnectionStates.connected) {
      throw new StoreUnavailableError('The store is not connected.');
    }
    try {
      await this.conn.dropDatabase();
    } catch (err) {
      throw translateMongoError(err);
    }
  }

  // People
  createUser(user: NewUser): Promise<User> { return this.users.createUser(user); }
  getUser(id: string): Promise<User | null> { return this.users.getUser(id); }
  getUserByEmail(email: string): Promise<User | null> { return this.users.getUserByEmail(email); }
  getUsersByIds(ids: readonly string[]): Promise<User[]> { return this.users.getUsersByIds(ids); }
  updateUser(id: string, patch: UserPatch): Promise<User | null> { return this.users.updateUser(id, patch); }
  listUsers(filter: UserFilter, page: PageRequest): Promise<Page<User>> { return this.users.listUsers(filter, page); }
  allUsers(): Promise<User[]> { return this.users.allUsers(); }
  countUsers(filter: { role?: User['role']; activeOnly?: boolean }): Promise<number> {
    return this.users.countUsers(filter);
  }
  listTeams(): Promise<TeamCount[]> { return this.users.listTeams(); }

  // Behaviour catalog
  listBehaviours(): Promise<Behaviour[]> { return this.behaviours.listBehaviours(); }
  getBehaviour(key: string): Promise<Behaviour | null> { return this.behaviours.getBehaviour(key); }
  createBehaviour(b: Behaviour): Promise<Behaviour> { return this.behaviours.createBehaviour(b); }
  updateBehaviour(key: string, patch: BehaviourPatch): Promise<Behaviour | null> {
    return this.behaviours.updateBehaviour(key, patch);
  }

  // Kudos
  createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord> {
    return this.kudos.createKudos(k, options);
  }
  privateKudosIds(ids: readonly string[]): Promise<Set<string>> {
    return this.kudos.privateKudosIds(ids);
  }
  getKudos(id: string, viewerId: string | null): Promise<KudosRecord | null> {
    return this.kudos.getKudos(id, viewerId);
  }
  getKudosByIdempotencyKey(giverId: string, key: string): Promise<KudosRecord | null> {
    return this.kudos.getKudosByIdempotencyKey(giverId, key);
  }
  feedPage(filter: FeedFilter, page: PageRequest): Promise<Page<KudosRecord>> {
    return this.kudos.feedPage(filter, page);
  }
  kudosAfter(filter: FeedFilter, after: Cursor, limit: number): Promise<KudosRecord[]> {
    return this.kudos.kudosAfter(filter, after, limit);
  }
  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): Promise<boolean> {
    return this.kudos.removeKudos(id, removal);
  }
  setReaction(kudosId: string, userId: string, emoji: string, on: boolean, at: Iso): Promise<boolean> {
    return this.kudos.setReaction(kudosId, userId, emoji, on, at);
  }
  addComment(c: NewComment): Promise<Comment> { return this.kudos.addComment(c); }
  commentsPage(kudosId: string, page: PageRequest): Promise<Page<Comment>> {
    return this.kudos.commentsPage(kudosId, page);
  }

  // Insight
  leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]> { return this.insight.leaderboard(q); }
  userCounts(userId: string, viewer: Viewer): Promise<UserCounts> { return this.insight.userCounts(userId, viewer); }
  periodPairBatches(from: Iso, to: Iso): AsyncIterable<PairBatch> { return this.insight.periodPairBatches(from, to); }
  givenCounts(from: Iso, to: Iso, opts: { publicOnly?: boolean } = {}): Promise<Map<string, number>> {
    return this.insight.givenCounts(from, to, opts.publicOnly === true);
  }

  // Periods and rules
  createPeriod(p: NewPeriod): Promise<Period> { return this.periods.createPeriod(p); }
  getPeriod(id: string): Promise<Period | null> { return this.periods.getPeriod(id); }
  listPeriods(): Promise<Period[]> { return this.periods.listPeriods(); }
  overlappingPeriods(startsAt: Iso, endsAt: Iso): Promise<Period[]> {
    return this.periods.overlappingPeriods(startsAt, endsAt);
  }
  closePeriod(snapshot: PeriodSnapshot, lines?: readonly SnapshotLines[]): Promise<boolean> { return this.periods.closePeriod(snapshot, lines); }
  periodSnapshotLines(periodId: string, userIds?: readonly string[]): Promise<Map<string, unknown>> {
    return this.periods.periodSnapshotLines(periodId, userIds);
  }
  getPeriodSnapshot(periodId: string): Promise<PeriodSnapshot | null> {
    return this.periods.getPeriodSnapshot(periodId);
  }
  getRules(): Promise<Rules | null> { return this.rules.getRules(); }
  async saveRules(rules: Rules, weights: Readonly<Record<string, number>> = {}): Promise<void> {
    await this.rules.saveRules(rules, weights);
  }

  // Audit
  appendAudit(e: AuditEntry): Promise<void> { return this.misc.appendAudit(e); }
  auditPage(page: PageRequest): Promise<Page<AuditEntry>> { return this.misc.auditPage(page); }

  // Displays
  createDisplay(d: NewDisplay): Promise<Display> { return this.misc.createDisplay(d); }
  listDisplays(): Promise<Display[]> { return this.misc.listDisplays(); }
  getDisplay(id: string): Promise<Display | null> { return this.misc.getDisplay(id); }
  getDisplayByTokenHash(tokenHash: string): Promise<Display | null> {
    return this.misc.getDisplayByTokenHash(tokenHash);
  }
  revokeDisplay(id: string, at: Iso): Promise<boolean> { return this.misc.revokeDisplay(id, at); }
  updateDisplay(id: string, patch: DisplayPatch): Promise<Display | null> { return this.misc.updateDisplay(id, patch); }
  touchDisplay(id: string, at: Iso): Promise<void> { return this.misc.touchDisplay(id, at); }

  // Cross-process state
  getStoredResponse(userId: string, key: string): Promise<StoredResponse | null> {
    return this.misc.getStoredResponse(userId, key);
  }
  claimStoredResponse(r: ClaimedResponse, staleBefore: Iso, expiredBefore: Iso): Promise<StoredResponse | null> {
    return this.misc.claimStoredResponse(r, staleBefore, expiredBefore);
  }
  completeStoredResponse(claim: ClaimedResponse, status: number, body: string): Promise<void> {
    return this.misc.completeStoredResponse(claim, status, body);
  }
  releaseStoredResponse(claim: ClaimedResponse): Promise<void> { return this.misc.releaseStoredResponse(claim); }
  pruneStoredResponses(before: Iso): Promise<void> { return this.misc.pruneStoredResponses(before); }
  hitCounter(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAtMs: number }> {
    return this.misc.hitCounter(key, windowMs, nowMs);
  }
  decrementCounter(key: string): Promise<void> { return this.misc.decrementCounter(key); }
  resetCounter(key: string): Promise<void> { return this.misc.resetCounter(key); }
  pruneCounters(nowMs: number): Promise<number> { return this.misc.pruneCounters(nowMs); }
}
