/**
 * Domain types shared by use cases, the store contract and presenters.
 * Plain data only: no framework or driver types cross this line.
 */
export const ROLES = ['employee', 'manager', 'hr', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** ISO-8601 UTC timestamp with milliseconds, e.g. 2026-11-23T09:15:58.000Z. */
export type Iso = string;

export interface User {
  id: string;
  name: string;
  /** Always stored lower-cased; unique. */
  email: string;
  team: string;
  role: Role;
  managerId: string | null;
  active: boolean;
  /** Bumped on password, role or activation changes; tokens carry it and die when it moves. */
  tokenVersion: number;
  passwordHash: string | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export type NewUser = Omit<User, 'tokenVersion' | 'createdAt' | 'updatedAt' | 'active'> & {
  createdAt: Iso;
};

export interface UserPatch {
  name?: string;
  email?: string;
  team?: string;
  role?: Role;
  managerId?: string | null;
  active?: boolean;
  passwordHash?: string | null;
  /** Invalidate every token issued so far. */
  bumpTokenVersion?: boolean;
  updatedAt: Iso;
}

export interface UserFilter {
  /** Case-insensitive substring of the name, and of the email when `qEmail` is set. */
  q?: string;
  /** Match `q` against emails too: only for callers allowed to see emails (hr, admin). */
  qEmail?: boolean;
  team?: string;
  includeInactive?: boolean;
}

/** A team as its people spell it, with how many active people are in it. */
export interface TeamCount {
  name: string;
  people: number;
}

export interface Behaviour {
  key: string;
  group: string;
  name: string;
  description: string;
  /** 0..5, default 1.0 */
  weight: number;
  active: boolean;
}

export type BehaviourPatch = Partial<Omit<Behaviour, 'key'>>;

/** A person as shown inside a kudos or comment. */
export interface PersonRef {
  id: string;
  name: string;
  team: string;
}

export interface NewKudos {
  id: string;
  giverId: string;
  recipientIds: string[];
  behaviourKeys: string[];
  message: string;
  visibility: Visibility;
  createdAt: Iso;
  /** Teams of giver and recipients at creation time; the feed's team filter matches these. */
  teams: string[];
  /** Client's Idempotency-Key; unique per giver, stored with the kudos in the same write. */
  idempotencyKey: string | null;
}

export interface KudosRecord {
  id: string;
  giver: PersonRef;
  recipients: PersonRef[];
  behaviours: { key: string; name: string }[];
  message: string;
  visibility: Visibility;
  createdAt: Iso;
  teams: string[];
  reactions: Record<string, number>;
  /** Emojis the viewer (if any) has reacted with. */
  myReactions: string[];
  commentCount: number;
  removedAt: Iso | null;
}

/** Who is looking; decides which private kudos a read may return. */
export interface Viewer {
  userId: string | null;
  /** 'all': hr/admin; 'own': private kudos where the viewer is giver or recipient; 'none': displays. */
  privateAccess: 'all' | 'own' | 'none';
}

export interface FeedFilter {
  viewer: Viewer;
  recipientId?: string;
  giverId?: string;
  team?: string;
  behaviourKey?: string;
  /** inclusive */
  since?: Iso;
  /** exclusive */
  until?: Iso;
}

/** Position in an ordered list: sort key (createdAt, name, ...) plus id as tie-breaker. */
export interface Cursor {
  key: string;
  id: string;
}

export interface PageRequest {
  limit: number;
  after?: Cursor | null;
}

export interface Page<T> {
  items: T[];
  next: Cursor | null;
}

export interface Comment {
  id: string;
  kudosId: string;
  author: PersonRef;
  message: string;
  createdAt: Iso;
}

export interface NewComment {
  id: string;
  kudosId: string;
  authorId: string;
  message: string;
  createdAt: Iso;
}

export type LeaderboardBy = 'recipient' | 'giver' | 'team';

export interface LeaderboardQuery {
  from: Iso;
  to: Iso;
  by: LeaderboardBy;
  behaviourKey?: string;
  /** Count public kudos only: for viewers who may not see every private kudos. */
  publicOnly?: boolean;
  limit: number;
}

export interface LeaderboardRow {
  /** user id, or the team name when by=team */
  id: string;
  name: string;
  team: string | null;
  count: number;
}

export interface BehaviourCount {
  key: string;
  name: string;
  count: number;
}

export interface UserCounts {
  receivedTotal: number;
  givenTotal: number;
  receivedByBehaviour: BehaviourCount[];
  givenByBehaviour: BehaviourCount[];
}

/** One (kudos, recipient) pair, the unit of scoring. */
export interface ScoringPair {
  kudosId: string;
  giverId: string;
  recipientId: string;
  createdAt: Iso;
  recipientCount: number;
  behaviourKeys: readonly string[];
}

export type PeriodStatus = 'open' | 'closed';

export interface Period {
  id: string;
  name: string;
  startsAt: Iso;
  endsAt: Iso;
  status: PeriodStatus;
  createdAt: Iso;
  closedAt: Iso | null;
  closedBy: string | null;
}

export type NewPeriod = Omit<Period, 'status' | 'closedAt' | 'closedBy'>;

export type GroupSplit = 'full' | 'equal' | 'sqrt';

export interface Tier {
  name: string;
  threshold: number;
}

export interface ScoringRules {
  /** Behaviour weights by key; mirrors the catalog's weights. */
  weights: Record<string, number>;
  /** Max kudos a giver may post per period; null = unlimited. */
  allowancePerPeriod: number | null;
  repeatPairDamping: number;
  groupSplit: GroupSplit;
  minDistinctGivers: number;
  reciprocalThreshold: number;
  reciprocalPenalty: number;
  /** Ascending by threshold. */
  tiers: Tier[];
}

/** The frozen state of a closed period; opaque JSON to the store. */
export interface PeriodSnapshot {
  periodId: string;
  closedAt: Iso;
  closedBy: string;
  /** JSON-serialisable payload (rules, people, results). */
  data: unknown;
  csv: string;
  sha256: string;
}

/**
 * One person's breakdown lines as a close froze them. Kept apart from the snapshot's data, so that
 * reading a closed period's figures, or one person's lines, does not read everyone's: 1.2 million
 * lines are ~250 MB of JSON for 10,000 people.
 */
export interface SnapshotLines {
  userId: string;
  /** JSON-serialisable (the person's ScoreLine[]). */
  lines: unknown;
}

export interface AuditEntry {
  id: string;
  at: Iso;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface Display {
  id: string;
  name: string;
  team: string | null;
  createdAt: Iso;
  createdBy: string;
  lastSeenAt: Iso | null;
  revokedAt: Iso | null;
}

export interface NewDisplay {
  id: string;
  name: string;
  team: string | null;
  createdAt: Iso;
  createdBy: string;
  /** sha256 hex of the token; the token itself is never stored. */
  tokenHash: string;
}

/** What an admin may change on a display: fields left out stay as they are; team null is the whole company. */
export interface DisplayPatch {
  name?: string;
  team?: string | null;
}

/** The first answer to a write sent with an Idempotency-Key; status 0 while its request runs. */
export interface StoredResponse {
  userId: string;
  key: string;
  method: string;
  /** The request the key stands for: its canonical path and a digest of its body (src/http/idempotency.ts). */
  path: string;
  status: number;
  body: string;
  createdAt: Iso;
}

export type ClaimedResponse = Omit<StoredResponse, 'status' | 'body'>;
