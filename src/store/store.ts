/**
 * The one storage contract. Both adapters (sqlite, mongo) implement it and are held to it by
 * test/contract/store.contract.ts. Methods speak the domain; rules (permissions, scoring,
 * validation) live in src/domain, never here. Adapters translate driver errors into
 * src/domain/errors.ts classes (unique violations -> ConflictError, lost connection ->
 * StoreUnavailableError) and keep the driver error as `cause`.
 */
import type {
  AuditEntry, Behaviour, BehaviourPatch, Comment, Cursor, Display, FeedFilter, Iso, KudosRecord,
  LeaderboardQuery, LeaderboardRow, NewComment, NewDisplay, NewKudos, NewPeriod, NewUser, Page,
  DisplayPatch, PageRequest, Period, PeriodSnapshot, ScoringRules, SnapshotLines, StoredResponse, User, UserCounts, ClaimedResponse,
  TeamCount, UserFilter, UserPatch, Viewer,
} from '../domain/types.js';
import type { PairBatch } from '../domain/pair-batch.js';

export interface GiverLimit {
  max: number;
  from: Iso;
  to: Iso;
}

export interface KudosWriteOptions {
  /**
   * Enforced atomically with the insert (so two processes cannot both take the last slot):
   * if the giver already has `max` non-removed kudos created in [from, to), throw
   * AllowanceExhaustedError instead of writing.
   */
  allowance?: GiverLimit | null;
  /**
   * Flood guard, checked with the insert so it costs no write of its own: if the giver already
   * has `max` kudos (removed ones included) created in [from, to), throw
   * KudosRateLimitedError (429) naming the oldest of them. Exact on sqlite; on MongoDB
   * concurrent posts of one giver may overshoot by the number in flight (see mongo-kudos.store.ts).
   */
  rate?: GiverLimit | null;
}

export interface Store {
  readonly name: 'sqlite' | 'mongo';
  /** Connects, applies migrations / builds indexes. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;

  // People
  /** Throws ConflictError(field 'email') on a duplicate email. */
  createUser(user: NewUser): Promise<User>;
  getUser(id: string): Promise<User | null>;
  getUserByEmail(email: string): Promise<User | null>;
  getUsersByIds(ids: readonly string[]): Promise<User[]>;
  /** Returns null when absent. Throws ConflictError(field 'email') on a duplicate email. */
  updateUser(id: string, patch: UserPatch): Promise<User | null>;
  /** Ordered by name (case-insensitive) then id; cursor key is the lower-cased name. */
  listUsers(filter: UserFilter, page: PageRequest): Promise<Page<User>>;
  /** Every user, active or not, ordered by id. For reports and imports. */
  allUsers(): Promise<User[]>;
  countUsers(filter: { role?: User['role']; activeOnly?: boolean }): Promise<number>;
  /**
   * The distinct teams of active people, spelled exactly as stored, each with its number of active
   * people, in the directory's name order: by nameKey() of the team, then by the team as spelled
   * (compareTeams in src/domain/teams.ts). Grouped by the database; only the teams are sorted here.
   */
  listTeams(): Promise<TeamCount[]>;

  // Behaviour catalog
  listBehaviours(): Promise<Behaviour[]>;
  getBehaviour(key: string): Promise<Behaviour | null>;
  /** Throws ConflictError(field 'key') when the key exists. */
  createBehaviour(b: Behaviour): Promise<Behaviour>;
  updateBehaviour(key: string, patch: BehaviourPatch): Promise<Behaviour | null>;

  // Kudos
  /**
   * Writes the kudos, its recipients and behaviours in one atomic write. Throws
   * ConflictError(field 'idempotencyKey') when the giver already used that key,
   * AllowanceExhaustedError when options.allowance is exceeded.
   */
  createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord>;
  /** Includes removed kudos (removedAt set); visibility is the caller's job here. */
  getKudos(id: string, viewerId: string | null): Promise<KudosRecord | null>;
  /** Which of these kudos are private (removed ones included); unknown ids are simply absent. */
  privateKudosIds(ids: readonly string[]): Promise<Set<string>>;
  getKudosByIdempotencyKey(giverId: string, key: string): Promise<KudosRecord | null>;
  /** Newest first by (createdAt, id); excludes removed kudos and private ones the viewer may not see. */
  feedPage(filter: FeedFilter, page: PageRequest): Promise<Page<KudosRecord>>;
  /** Oldest first, strictly after `after` by (createdAt, id); same exclusions as feedPage. */
  kudosAfter(filter: FeedFilter, after: Cursor, limit: number): Promise<KudosRecord[]>;
  /** Soft delete. False when absent or already removed. */
  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): Promise<boolean>;
  /** One per (kudos, user, emoji). Returns true when something changed. */
  setReaction(kudosId: string, userId: string, emoji: string, on: boolean, at: Iso): Promise<boolean>;
  addComment(c: NewComment): Promise<Comment>;
  /** Oldest first by (createdAt, id). */
  commentsPage(kudosId: string, page: PageRequest): Promise<Page<Comment>>;

  // Insight (computed by the database, not by loading every kudos)
  /** Non-removed kudos only, all visibilities; ranked by count desc, then name, then id. */
  leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]>;
  /**
   * All-time counts of a person's non-removed kudos, received and given, that `viewer` may see
   * (as the feed shows them): a manager reading a report's summary must not count the private
   * kudos the report gave or received between other people.
   */
  userCounts(userId: string, viewer: Viewer): Promise<UserCounts>;
  /**
   * Every (kudos, recipient) pair of non-removed kudos created in [from, to), in batches (see
   * pair-batch.ts), each kudos in exactly one batch; any order. Scoring a large period must not
   * hold the event loop: read off it or yield between batches.
   */
  periodPairBatches(from: Iso, to: Iso): AsyncIterable<PairBatch>;
  /** Non-removed kudos given per giver in [from, to) (public ones only if asked); for "who gave nothing". */
  givenCounts(from: Iso, to: Iso, opts?: { publicOnly?: boolean }): Promise<Map<string, number>>;

  // Periods and rules
  /**
   * Inserts the period unless it intersects an existing one, checked and inserted as one step
   * across processes; otherwise throws PeriodOverlapError naming the newest such period.
   */
  createPeriod(p: NewPeriod): Promise<Period>;
  getPeriod(id: string): Promise<Period | null>;
  /** Ordered by startsAt desc. */
  listPeriods(): Promise<Period[]>;
  /** Periods intersecting [startsAt, endsAt). */
  overlappingPeriods(startsAt: Iso, endsAt: Iso): Promise<Period[]>;
  /**
   * Marks the period closed and stores the snapshot atomically; false if it was not open. Of
   * racing closes exactly one wins, and the snapshot read back is the winner's, whole, whatever
   * its size (MongoDB keeps the large parts in chunk documents, not in the 16 MB period document).
   * The lines are written a slice of people at a time, the event loop turning between slices, under
   * a close id only the winning flip names: until then the period stays open and none is read; a
   * close that loses or fails removes what it wrote, and the winner removes what others left.
   */
  closePeriod(snapshot: PeriodSnapshot, lines?: readonly SnapshotLines[]): Promise<boolean>;
  getPeriodSnapshot(periodId: string): Promise<PeriodSnapshot | null>;
  /**
   * The winning close's lines, by user id: these people's (those without lines are absent), or
   * everyone's when `userIds` is omitted. Empty for an open period.
   */
  periodSnapshotLines(periodId: string, userIds?: readonly string[]): Promise<Map<string, unknown>>;
  /** The stored rules without weights (weights live on behaviours); null before first save. */
  getRules(): Promise<Omit<ScoringRules, 'weights'> | null>;
  /**
   * Saves the rules and sets the given behaviours' weights (keys the caller checked exist), both
   * in one transaction: sqlite's, or MongoDB's on a replica set or sharded cluster. A standalone
   * MongoDB server has no transactions: there the weights are written first, then the rules, so
   * a failure in between leaves new weights behind an error, which repeating the same PUT completes.
   */
  saveRules(rules: Omit<ScoringRules, 'weights'>, weights?: Readonly<Record<string, number>>): Promise<void>;

  // Audit
  appendAudit(e: AuditEntry): Promise<void>;
  /** Newest first by (at, id). */
  auditPage(page: PageRequest): Promise<Page<AuditEntry>>;

  // Displays
  createDisplay(d: NewDisplay): Promise<Display>;
  listDisplays(): Promise<Display[]>;
  getDisplay(id: string): Promise<Display | null>;
  getDisplayByTokenHash(tokenHash: string): Promise<Display | null>;
  revokeDisplay(id: string, at: Iso): Promise<boolean>;
  /** Changes a display that is not revoked, atomically; null when it is absent or revoked. */
  updateDisplay(id: string, patch: DisplayPatch): Promise<Display | null>;
  touchDisplay(id: string, at: Iso): Promise<void>;

  // Cross-process state (idempotency, rate limits)
  getStoredResponse(userId: string, key: string): Promise<StoredResponse | null>;
  /**
   * Claims (userId, key) for a request about to run, atomically across processes: records it as
   * pending (status 0, empty body) unless a record holds the key. A pending record created before
   * `staleBefore` (its request died) and any record created before `expiredBefore` are taken over.
   * Returns null when this call claimed the key, else the record that holds it.
   */
  claimStoredResponse(r: ClaimedResponse, staleBefore: Iso, expiredBefore: Iso): Promise<StoredResponse | null>;
  /**
   * The answer of the request that made `claim`. A no-op if that claim is no longer the pending
   * record: completed, given back, or taken over as stale by another request (whose own answer
   * it must not overwrite). A claim is identified by its user, key and createdAt.
   */
  completeStoredResponse(claim: ClaimedResponse, status: number, body: string): Promise<void>;
  /** Gives back `claim` if it is still pending, so that a retry runs the write; anything else stays. */
  releaseStoredResponse(claim: ClaimedResponse): Promise<void>;
  /** Drops stored responses created before `before`. */
  pruneStoredResponses(before: Iso): Promise<void>;
  /**
   * Fixed-window counter: increments `key` within the window that contains now and returns
   * the new count and the window's end (epoch ms). A new window starts at 1.
   */
  hitCounter(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAtMs: number }>;
  decrementCounter(key: string): Promise<void>;
  resetCounter(key: string): Promise<void>;
  /**
   * Drops counters whose window ended at or before `nowMs` (a new hit would start them at 1
   * anyway) and says how many. Without it every address and email ever limited keeps a row.
   */
  pruneCounters(nowMs: number): Promise<number>;
}
