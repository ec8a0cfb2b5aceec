/**
 * Mongoose schemas and their indexes, on a dedicated connection. Every unique rule is an index
 * here, so the database, not a read-then-write, enforces it.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type {
  AuditDoc, BehaviourDoc, CommentDoc, CounterDoc, DisplayDoc, GiverGateDoc, KudosDoc, PeriodDoc, ReactionSub,
  RecipientSub, SettingDoc, SnapshotChunkDoc, SnapshotSub, StoredResponseDoc, UserDoc,
} from './mongo-documents.js';

/**
 * Not `required`: mongoose's required check rejects '' for strings, and '' is a legal value
 * (an empty response body, a blank team). The domain types guarantee presence.
 */
const str = { type: String } as const;
const id = { type: String, required: true } as const;
const optStr = { type: String, default: null } as const;
const num = { type: Number, required: true } as const;
/**
 * No version key, no implicit ObjectId, no silently dropped empty objects. Commands are never
 * queued while disconnected (a dead database must answer 503 at once, even before the first
 * connection), and indexes are built by init(), not lazily in the background.
 */
const base = {
  versionKey: false, _id: false, minimize: false, strict: true,
  bufferCommands: false, autoIndex: false, autoCreate: false,
} as const;

function userSchema(): Schema<UserDoc> {
  const s = new Schema<UserDoc>(
    {
      _id: id, name: str, nameKey: str, email: str, team: str, role: str,
      managerId: optStr, active: { type: Boolean, required: true }, tokenVersion: num,
      passwordHash: optStr, createdAt: str, updatedAt: str,
    },
    { ...base, collection: 'users' },
  );
  s.index({ email: 1 }, { unique: true });
  s.index({ nameKey: 1, _id: 1 });
  s.index({ team: 1, nameKey: 1, _id: 1 });
  s.index({ managerId: 1 });
  return s;
}

function behaviourSchema(): Schema<BehaviourDoc> {
  const s = new Schema<BehaviourDoc>(
    { _id: id, group: str, name: str, description: { type: String, default: '' }, weight: num,
      active: { type: Boolean, required: true }, seq: num },
    { ...base, collection: 'behaviours' },
  );
  s.index({ seq: 1 });
  return s;
}

function kudosSchema(): Schema<KudosDoc> {
  const recipient = new Schema<RecipientSub>({ userId: str, team: { type: String, default: '' } }, base);
  const reaction = new Schema<ReactionSub>({ userId: str, emoji: str, at: str }, base);
  const s = new Schema<KudosDoc>(
    {
      _id: id, giverId: str, recipients: { type: [recipient], default: [] },
      behaviourKeys: { type: [String], default: [] }, teams: { type: [String], default: [] },
      message: str, visibility: str, createdAt: str, idempotencyKey: optStr,
      reactions: { type: [reaction], default: [] },
      removedAt: optStr, removedBy: optStr, removedReason: optStr,
    },
    { ...base, collection: 'kudos' },
  );
  // Only real keys are unique: kudos without an Idempotency-Key store null and are not indexed.
  s.index(
    { giverId: 1, idempotencyKey: 1 },
    { unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
  );
  // The feed, newest first, and each of its filters in the same order.
  s.index({ createdAt: -1, _id: -1 });
  s.index({ giverId: 1, createdAt: -1, _id: -1 });
  s.index({ 'recipients.userId': 1, createdAt: -1, _id: -1 });
  s.index({ teams: 1, createdAt: -1, _id: -1 });
  s.index({ behaviourKeys: 1, createdAt: -1, _id: -1 });
  return s;
}

function commentSchema(): Schema<CommentDoc> {
  const s = new Schema<CommentDoc>(
    { _id: id, kudosId: str, authorId: str, message: str, createdAt: str },
    { ...base, collection: 'comments' },
  );
  s.index({ kudosId: 1, createdAt: 1, _id: 1 });
  return s;
}

function periodSchema(): Schema<PeriodDoc> {
  // No defaults: a snapshot holds either inline data/csv (closed before chunking) or a close id
  // with chunk counts, and the reader tells them apart by which fields are present.
  const snapshot = new Schema<SnapshotSub>(
    {
      closedAt: str, closedBy: str, sha256: str, data: str, csv: str,
      closeId: str, dataChunks: Number, dataLength: Number, csvChunks: Number, csvLength: Number,
    },
    base,
  );
  const s = new Schema<PeriodDoc>(
    {
      _id: id, name: str, startsAt: str, endsAt: str, status: str, createdAt: str,
      closedAt: optStr, closedBy: optStr, snapshot: { type: snapshot, default: null },
    },
    { ...base, collection: 'periods' },
  );
  s.index({ startsAt: -1, _id: -1 });
  s.index({ endsAt: 1 });
  return s;
}

function snapshotChunkSchema(): Schema<SnapshotChunkDoc> {
  const s = new Schema<SnapshotChunkDoc>(
    { _id: id, closeId: str, periodId: str, part: str, index: num, text: str, userId: { type: String, default: undefined }, pieces: { type: Number, default: undefined } },
    { ...base, collection: 'periodSnapshotChunks' },
  );
  // Reads one close's pieces in order: the index serves the sort, so a snapshot of any size needs
  // no in-memory sort (the server caps those at 100 MB). Unique: a piece is stored once per close.
  s.index({ closeId: 1, part: 1, index: 1 }, { unique: true });
  // Sweeps a closed period's chunks of other closes ({ periodId, closeId: { $ne } }) without a
  // collection scan: by the winning close, and at start-up for every closed period.
  s.index({ periodId: 1, closeId: 1 });
  return s;
}

function settingSchema(): Schema<SettingDoc> {
  return new Schema<SettingDoc>({ _id: id, json: String, seq: Number }, { ...base, collection: 'settings' });
}

function auditSchema(): Schema<AuditDoc> {
  const s = new Schema<AuditDoc>(
    { _id: id, at: str, actorId: optStr, action: str, targetType: str, targetId: optStr, details: str },
    { ...base, collection: 'audit' },
  );
  s.index({ at: -1, _id: -1 });
  return s;
}

function displaySchema(): Schema<DisplayDoc> {
  const s = new Schema<DisplayDoc>(
    { _id: id, name: str, team: optStr, createdAt: str, createdBy: str, tokenHash: str,
      lastSeenAt: optStr, revokedAt: optStr },
    { ...base, collection: 'displays' },
  );
  s.index({ tokenHash: 1 }, { unique: true });
  s.index({ createdAt: 1, _id: 1 });
  return s;
}

function storedResponseSchema(): Schema<StoredResponseDoc> {
  const s = new Schema<StoredResponseDoc>(
    { _id: id, userId: str, key: str, method: str, path: str, status: num, body: str, createdAt: str },
    { ...base, collection: 'storedResponses' },
  );
  s.index({ userId: 1, key: 1 }, { unique: true });
  s.index({ createdAt: 1 });
  return s;
}

function counterSchema(): Schema<CounterDoc> {
  return new Schema<CounterDoc>({ _id: id, count: num, resetAtMs: num }, { ...base, collection: 'counters' });
}

function giverGateSchema(): Schema<GiverGateDoc> {
  return new Schema<GiverGateDoc>({ _id: id, v: num }, { ...base, collection: 'giverGates' });
}

export interface Models {
  users: Model<UserDoc>;
  behaviours: Model<BehaviourDoc>;
  kudos: Model<KudosDoc>;
  comments: Model<CommentDoc>;
  periods: Model<PeriodDoc>;
  periodSnapshotChunks: Model<SnapshotChunkDoc>;
  settings: Model<SettingDoc>;
  audit: Model<AuditDoc>;
  displays: Model<DisplayDoc>;
  storedResponses: Model<StoredResponseDoc>;
  counters: Model<CounterDoc>;
  giverGates: Model<GiverGateDoc>;
}

/** Registers every model on one dedicated connection (never the global mongoose one). */
export function buildModels(conn: Connection): Models {
  return {
    users: conn.model<UserDoc>('User', userSchema()),
    behaviours: conn.model<BehaviourDoc>('Behaviour', behaviourSchema()),
    kudos: conn.model<KudosDoc>('Kudos', kudosSchema()),
    comments: conn.model<CommentDoc>('Comment', commentSchema()),
    periods: conn.model<PeriodDoc>('Period', periodSchema()),
    periodSnapshotChunks: conn.model<SnapshotChunkDoc>('PeriodSnapshotChunk', snapshotChunkSchema()),
    settings: conn.model<SettingDoc>('Setting', settingSchema()),
    audit: conn.model<AuditDoc>('AuditEntry', auditSchema()),
    displays: conn.model<DisplayDoc>('Display', displaySchema()),
    storedResponses: conn.model<StoredResponseDoc>('StoredResponse', storedResponseSchema()),
    counters: conn.model<CounterDoc>('Counter', counterSchema()),
    giverGates: conn.model<GiverGateDoc>('GiverGate', giverGateSchema()),
  };
}

/** The server's IndexNotFound: dropIndex of an index that is no longer there. */
const INDEX_NOT_FOUND = 27;

/**
 * Makes one collection's indexes match its schema. When an index must go (one added by hand, or
 * one this version no longer declares), every process starting at the same time sees it in its
 * diff and drops it, and all but the first are told IndexNotFound: not a failure to start, so
 * such a process compares again with what the database now holds.
 */
export async function syncIndexesOf(model: Pick<Model<unknown>, 'syncIndexes'>): Promise<void> {
  try {
    await model.syncIndexes();
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code !== INDEX_NOT_FOUND) throw err;
    await model.syncIndexes();
  }
}

/**
 * Creates every collection and makes its indexes match the schema (unique rules included), so
 * constraints hold from the first write. Safe to run from several processes at once: they see
 * the same schemas, so an existing collection or index is left as is, and an index they all
 * drop is dropped once (see syncIndexesOf).
 */
export async function syncAllIndexes(models: Models): Promise<void> {
  await Promise.all(
    (Object.values(models) as Model<unknown>[]).map(async (model) => {
      await model.createCollection();
      await syncIndexesOf(model);
    }),
  );
}
