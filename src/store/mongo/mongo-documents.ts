/**
 * The document shapes of every collection, as the adapter reads them back with lean().
 * Ids are the domain's own strings (newId()); timestamps are ISO strings, which sort
 * lexicographically, so both adapters return byte-identical values.
 */
import type { Role, Visibility } from '../../domain/types.js';

export interface UserDoc {
  _id: string;
  name: string;
  /** JS-lower-cased name: directory sort key and cursor key (as the sqlite adapter). */
  nameKey: string;
  email: string;
  team: string;
  role: Role;
  managerId: string | null;
  active: boolean;
  tokenVersion: number;
  passwordHash: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BehaviourDoc {
  _id: string;
  group: string;
  name: string;
  description: string;
  weight: number;
  active: boolean;
  /** Creation sequence: the catalog is listed in the order it was created. */
  seq: number;
}

export interface RecipientSub {
  userId: string;
  /** The recipient's team when the kudos was created; by=team leaderboards count this. */
  team: string;
}

export interface ReactionSub {
  userId: string;
  emoji: string;
  at: string;
}

/**
 * One document per kudos: recipients, behaviours, teams and reactions are embedded so every
 * write to a kudos is a single-document (atomic) write. Comments live in their own collection
 * and are counted per page, so there is no counter that could drift from the comments.
 */
export interface KudosDoc {
  _id: string;
  giverId: string;
  recipients: RecipientSub[];
  behaviourKeys: string[];
  teams: string[];
  message: string;
  visibility: Visibility;
  createdAt: string;
  idempotencyKey: string | null;
  reactions: ReactionSub[];
  removedAt: string | null;
  removedBy: string | null;
  removedReason: string | null;
}

export interface CommentDoc {
  _id: string;
  kudosId: string;
  authorId: string;
  message: string;
  createdAt: string;
}

export interface SnapshotSub {
  closedAt: string;
  closedBy: string;
  /** JSON text: the payload must round-trip exactly (BSON would reshape keys and numbers). */
  data: string;
  csv: string;
  sha256: string;
}

/** The snapshot lives inside its period so closing is one atomic conditional update. */
export interface PeriodDoc {
  _id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  status: 'open' | 'closed';
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  snapshot?: SnapshotSub | null;
}

/** Small named values (scoring rules as JSON text, sequences). */
export interface SettingDoc {
  _id: string;
  json?: string;
  seq?: number;
}

export interface AuditDoc {
  _id: string;
  at: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  /** JSON text, for an exact round trip of arbitrary details. */
  details: string;
}

export interface DisplayDoc {
  _id: string;
  name: string;
  team: string | null;
  createdAt: string;
  createdBy: string;
  tokenHash: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

export interface StoredResponseDoc {
  _id: string;
  userId: string;
  key: string;
  method: string;
  path: string;
  status: number;
  body: string;
  createdAt: string;
}

export interface CounterDoc {
  _id: string;
  count: number;
  resetAtMs: number;
}

/** Per-giver version, bumped by every allowance-checked kudos (see mongo-kudos.store.ts). */
export interface GiverGateDoc {
  _id: string;
  v: number;
}
