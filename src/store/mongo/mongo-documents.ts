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

/**
 * A closed period's snapshot metadata, in its period document. Periods closed by this version
 * keep the large parts (data JSON, CSV) in `periodSnapshotChunks`, under `closeId`; periods
 * closed before hold them inline in `data` and `csv`, and are still read that way.
 */
export interface SnapshotSub {
  closedAt: string;
  closedBy: string;
  sha256: string;
  /**
   * Inline data (periods closed before chunking). Stored as JSON text, inline or chunked: the
   * payload must round-trip exactly (BSON would reshape keys and numbers).
   */
  data?: string;
  /** Inline CSV (periods closed before chunking). */
  csv?: string;
  /** The close that won: only its chunks are the snapshot's. */
  closeId?: string;
  dataChunks?: number;
  /** UTF-16 code units of the whole data JSON text. */
  dataLength?: number;
  csvChunks?: number;
  /** UTF-16 code units of the whole CSV. */
  csvLength?: number;
}

/**
 * The period document: closing is one atomic conditional update of it (status and snapshot
 * metadata together), after the snapshot's chunks were written.
 */
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

/** Which large part of a snapshot a chunk belongs to: one person's breakdown lines are `lines`. */
export type SnapshotPart = 'data' | 'csv' | 'lines';

/**
 * One piece of a closed period's data JSON, CSV or a person's lines (text-chunks.ts), written
 * before the close that may or may not win. `_id` is `<closeId>:<part>:<index>` (lines:
 * `<closeId>:lines:<userId>:<n>`), so a retried insert cannot store a piece twice.
 */
export interface SnapshotChunkDoc {
  _id: string;
  closeId: string;
  /** Which period the chunk was written for: sweeps find a closed period's orphans by it (index `{ periodId, closeId }`). */
  periodId: string;
  part: SnapshotPart;
  /** The piece's position among its close's pieces of that part. */
  index: number;
  text: string;
  /**
   * `lines` pieces only: whose lines, and how many pieces they were cut into. Their `_id` is
   * `<closeId>:lines:<userId>:<n>`, so one person's are found by an `_id` range.
   */
  userId?: string;
  pieces?: number;
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
