import type { AuditEntry, ClaimedResponse, Display, DisplayPatch, Iso, NewDisplay, Page, PageRequest, StoredResponse } from '../../domain/types.js';
import { guard, isDuplicateKeyError } from './mongo-errors.js';
import type { AuditDoc, CounterDoc, DisplayDoc, StoredResponseDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

function toDisplay(d: DisplayDoc): Display {
  return {
    id: d._id,
    name: d.name,
    team: d.team ?? null,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    lastSeenAt: d.lastSeenAt ?? null,
    revokedAt: d.revokedAt ?? null,
  };
}

/** One document per (user, key); the unique index on the pair is what makes the first writer win. */
function responseId(userId: string, key: string): string {
  return JSON.stringify([userId, key]);
}

/** Audit trail, TV display credentials, idempotent responses and rate-limit counters. */
export class MongoMisc {
  constructor(private readonly m: Models) {}

  appendAudit(e: AuditEntry): Promise<void> {
    return guard(async () => {
      await this.m.audit.create({
        _id: e.id, at: e.at, actorId: e.actorId, action: e.action, targetType: e.targetType, targetId: e.targetId,
        details: JSON.stringify(e.details),
      });
    }, { what: 'audit entry' });
  }

  auditPage(page: PageRequest): Promise<Page<AuditEntry>> {
    const after = page.after;
    const filter = after ? { $or: [{ at: { $lt: after.key } }, { at: after.key, _id: { $lt: after.id } }] } : {};
    return guard(async () => {
      const docs = await this.m.audit.find(filter).sort({ at: -1, _id: -1 }).limit(page.limit + 1).lean<AuditDoc[]>();
      const items = docs.slice(0, page.limit).map((d): AuditEntry => ({
        id: d._id,
        at: d.at,
        actorId: d.actorId ?? null,
        action: d.action,
        targetType: d.targetType,
        targetId: d.targetId ?? null,
        details: JSON.parse(d.details) as Record<string, unknown>,
      }));
      const last = items[items.length - 1];
      return { items, next: docs.length > page.limit && last ? { key: last.at, id: last.id } : null };
    });
  }

  createDisplay(d: NewDisplay): Promise<Display> {
    const doc: DisplayDoc = {
      _id: d.id, name: d.name, team: d.team, createdAt: d.createdAt, createdBy: d.createdBy, tokenHash: d.tokenHash,
      lastSeenAt: null, revokedAt: null,
    };
    return guard(async () => {
      await this.m.displays.create(doc);
      return toDisplay(doc);
    }, { what: 'display' });
  }

  listDisplays(): Promise<Display[]> {
    return guard(async () => {
      const docs = await this.m.displays.find({}).sort({ createdAt: 1, _id: 1 }).lean<DisplayDoc[]>();
      return docs.map(toDisplay);
    });
  }

  getDisplay(id: string): Promise<Display | null> {
    return guard(async () => {
      const d = await this.m.displays.findById(id).lean<DisplayDoc>();
      return d ? toDisplay(d) : null;
    });
  }

  /** Revoked displays are returned too (with revokedAt set); the caller refuses them. */
  getDisplayByTokenHash(tokenHash: string): Promise<Display | null> {
    return guard(async () => {
      const d = await this.m.displays.findOne({ tokenHash }).lean<DisplayDoc>();
      return d ? toDisplay(d) : null;
    });
  }

  revokeDisplay(id: string, at: Iso): Promise<boolean> {
    return guard(async () => {
      const r = await this.m.displays.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
      return r.modifiedCount === 1;
    });
  }

  /** One conditional update: a revoke committed first wins, and nothing is changed. */
  updateDisplay(id: string, patch: DisplayPatch): Promise<Display | null> {
    const set: Partial<DisplayDoc> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.team !== undefined) set.team = patch.team;
    const onAir = { _id: id, revokedAt: null };
    return guard(async () => {
      // An empty $set is not an update MongoDB takes: nothing to change is a read.
      const d = Object.keys(set).length === 0
        ? await this.m.displays.findOne(onAir).lean<DisplayDoc>()
        : await this.m.displays.findOneAndUpdate(onAir, { $set: set }, { returnDocument: 'after' }).lean<DisplayDoc>();
      return d ? toDisplay(d) : null;
    });
  }

  touchDisplay(id: string, at: Iso): Promise<void> {
    return guard(async () => {
      await this.m.displays.updateOne({ _id: id }, { $set: { lastSeenAt: at } });
    });
  }

  getStoredResponse(userId: string, key: string): Promise<StoredResponse | null> {
    return guard(async () => {
      const d = await this.m.storedResponses.findOne({ userId, key }).lean<StoredResponseDoc>();
      if (!d) return null;
      const { userId: u, key: k, method, path, status, body, createdAt } = d;
      return { userId: u, key: k, method, path, status, body, createdAt };
    });
  }

  /** Insert, or take over a dead or expired record in one conditional update: one claim wins. */
  claimStoredResponse(r: ClaimedResponse, staleBefore: Iso, expiredBefore: Iso): Promise<StoredResponse | null> {
    return guard(async () => {
      const pending = { ...r, status: 0, body: '' };
      try {
        await this.m.storedResponses.create({ _id: responseId(r.userId, r.key), ...pending });
        return null;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const taken = await this.m.storedResponses.updateOne(
        { _id: responseId(r.userId, r.key), $or: [{ status: 0, createdAt: { $lt: staleBefore } }, { createdAt: { $lt: expiredBefore } }] },
        { $set: pending },
      );
      if (taken.modifiedCount === 1) return null;
      // Given back by its request since the insert failed: claim again.
      return (await this.getStoredResponse(r.userId, r.key)) ?? this.claimStoredResponse(r, staleBefore, expiredBefore);
    });
  }

  completeStoredResponse(claim: ClaimedResponse, status: number, body: string): Promise<void> {
    return guard(async () => {
      await this.m.storedResponses.updateOne(
        { _id: responseId(claim.userId, claim.key), status: 0, createdAt: claim.createdAt },
        { $set: { status, body } },
      );
    });
  }

  releaseStoredResponse(claim: ClaimedResponse): Promise<void> {
    return guard(async () => {
      await this.m.storedResponses.deleteOne({ _id: responseId(claim.userId, claim.key), status: 0, createdAt: claim.createdAt });
    });
  }

  pruneStoredResponses(before: Iso): Promise<void> {
    return guard(async () => {
      await this.m.storedResponses.deleteMany({ createdAt: { $lt: before } });
    });
  }

  /**
   * Fixed window in one atomic update pipeline (the window starts at the first hit, as in the
   * sqlite adapter), so concurrent hits from any process never lose a count. Two first hits
   * can both try to insert; the loser retries and lands on the winner's document.
   */
  hitCounter(key: string, windowMs: number, nowMs: number): Promise<{ count: number; resetAtMs: number }> {
    const expired = { $or: [{ $not: ['$resetAtMs'] }, { $lte: ['$resetAtMs', nowMs] }] };
    const hit = () =>
      this.m.counters
        .findOneAndUpdate(
          { _id: key },
          [{ $set: {
            count: { $cond: [expired, 1, { $add: ['$count', 1] }] },
            resetAtMs: { $cond: [expired, nowMs + windowMs, '$resetAtMs'] },
          } }],
          { upsert: true, returnDocument: 'after', updatePipeline: true },
        )
        .lean<CounterDoc>();
    return guard(async () => {
      let d: CounterDoc | null;
      try {
        d = await hit();
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        d = await hit();
      }
      if (!d) throw new Error('counter upsert returned no document');
      return { count: d.count, resetAtMs: d.resetAtMs };
    });
  }

  decrementCounter(key: string): Promise<void> {
    return guard(async () => {
      await this.m.counters.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
    });
  }

  resetCounter(key: string): Promise<void> {
    return guard(async () => {
      await this.m.counters.deleteOne({ _id: key });
    });
  }

  pruneCounters(nowMs: number): Promise<number> {
    return guard(async () => (await this.m.counters.deleteMany({ resetAtMs: { $lte: nowMs } })).deletedCount);
  }
}
