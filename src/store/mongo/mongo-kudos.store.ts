import type {
  Comment, Cursor, FeedFilter, Iso, KudosRecord, NewComment, NewKudos, Page, PageRequest, PersonRef,
} from '../../domain/types.js';
import { KudosRateLimitedError } from '../../domain/errors.js';
import type { GiverLimit, KudosWriteOptions } from '../store.js';
import { insertWithinAllowance } from './mongo-allowance.js';
import { fieldConflict, guard } from './mongo-errors.js';
import { feedConditions, keysetCondition } from './mongo-feed.query.js';
import { hydrateKudos } from './mongo-kudos-records.js';
import type { CommentDoc, KudosDoc, UserDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

type Person = Pick<UserDoc, '_id' | 'name' | 'team'>;

const KUDOS = { what: 'kudos' };
const COMMENT = { what: 'comment' };

/** Kudos writes and reads: creation with its atomic checks, the feed, reactions and comments. */
export class MongoKudos {
  constructor(private readonly m: Models) {}

  createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord> {
    // Duplicates would double-count a pair; the first mention keeps its position (as sqlite).
    const recipientIds = [...new Set(k.recipientIds)];
    const behaviourKeys = [...new Set(k.behaviourKeys)];
    return guard(async () => {
      // Checked first so a reused key reports the conflict even when the allowance is spent;
      // the unique index still decides any race.
      const key = k.idempotencyKey;
      if (key !== null && (await this.m.kudos.exists({ giverId: k.giverId, idempotencyKey: key }))) {
        throw fieldConflict('idempotencyKey');
      }
      if (options?.rate) await checkRate(this.m, k.giverId, options.rate);
      const people = await this.m.users.find({ _id: { $in: recipientIds } }, { name: 1, team: 1 }).lean<Person[]>();
      const teamOf = new Map(people.map((p) => [p._id, p.team]));
      const doc: KudosDoc = {
        _id: k.id,
        giverId: k.giverId,
        recipients: recipientIds.map((userId) => ({ userId, team: teamOf.get(userId) ?? '' })),
        behaviourKeys,
        teams: [...k.teams],
        message: k.message,
        visibility: k.visibility,
        createdAt: k.createdAt,
        idempotencyKey: k.idempotencyKey,
        reactions: [],
        removedAt: null,
        removedBy: null,
        removedReason: null,
      };
      if (options?.allowance) await insertWithinAllowance(this.m, doc, options.allowance);
      else await this.m.kudos.create(doc);
      const [record] = await hydrateKudos(this.m, [doc], k.giverId);
      if (!record) throw new Error(`kudos ${k.id} vanished during its own write`);
      return record;
    }, KUDOS);
  }

  getKudos(id: string, viewerId: string | null): Promise<KudosRecord | null> {
    return guard(async () => {
      const d = await this.m.kudos.findById(id).lean<KudosDoc>();
      return d ? ((await hydrateKudos(this.m, [d], viewerId))[0] ?? null) : null;
    });
  }

  privateKudosIds(ids: readonly string[]): Promise<Set<string>> {
    return guard(async () => {
      const docs = await this.m.kudos.find({ _id: { $in: [...ids] }, visibility: 'private' }, { _id: 1 }).lean<Array<{ _id: string }>>();
      return new Set(docs.map((d) => d._id));
    });
  }

  getKudosByIdempotencyKey(giverId: string, key: string): Promise<KudosRecord | null> {
    return guard(async () => {
      const d = await this.m.kudos.findOne({ giverId, idempotencyKey: key }).lean<KudosDoc>();
      return d ? ((await hydrateKudos(this.m, [d], giverId))[0] ?? null) : null;
    });
  }

  feedPage(filter: FeedFilter, page: PageRequest): Promise<Page<KudosRecord>> {
    const and = feedConditions(filter);
    if (page.after) and.push(keysetCondition(page.after, 'before'));
    return guard(async () => {
      const docs = await this.m.kudos
        .find({ $and: and })
        .sort({ createdAt: -1, _id: -1 })
        .limit(page.limit + 1)
        .lean<KudosDoc[]>();
      const items = await hydrateKudos(this.m, docs.slice(0, page.limit), filter.viewer.userId);
      const last = items[items.length - 1];
      return { items, next: docs.length > page.limit && last ? { key: last.createdAt, id: last.id } : null };
    });
  }

  kudosAfter(filter: FeedFilter, after: Cursor, limit: number): Promise<KudosRecord[]> {
    const and = feedConditions(filter);
    and.push(keysetCondition(after, 'after'));
    return guard(async () => {
      const docs = await this.m.kudos
        .find({ $and: and })
        .sort({ createdAt: 1, _id: 1 })
        .limit(limit)
        .lean<KudosDoc[]>();
      return hydrateKudos(this.m, docs, filter.viewer.userId);
    });
  }

  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): Promise<boolean> {
    return guard(async () => {
      const r = await this.m.kudos.updateOne(
        { _id: id, removedAt: null },
        { $set: { removedAt: removal.at, removedBy: removal.by, removedReason: removal.reason } },
      );
      return r.modifiedCount === 1;
    });
  }

  /**
   * Reactions are embedded, so "one per (kudos, user, emoji)" is a conditional single-document
   * update: push only when no such element exists, pull only when one does.
   */
  setReaction(kudosId: string, userId: string, emoji: string, on: boolean, at: Iso): Promise<boolean> {
    return guard(async () => {
      const r = on
        ? await this.m.kudos.updateOne(
            { _id: kudosId, reactions: { $not: { $elemMatch: { userId, emoji } } } },
            { $push: { reactions: { userId, emoji, at } } },
          )
        : await this.m.kudos.updateOne(
            { _id: kudosId, reactions: { $elemMatch: { userId, emoji } } },
            { $pull: { reactions: { userId, emoji } } },
          );
      return r.modifiedCount === 1;
    });
  }

  addComment(c: NewComment): Promise<Comment> {
    return guard(async () => {
      await this.m.comments.create({
        _id: c.id, kudosId: c.kudosId, authorId: c.authorId, message: c.message, createdAt: c.createdAt,
      });
      const author = await this.m.users.findById(c.authorId, { name: 1, team: 1 }).lean<Person>();
      return {
        id: c.id,
        kudosId: c.kudosId,
        author: person(author ?? { _id: c.authorId, name: '', team: '' }),
        message: c.message,
        createdAt: c.createdAt,
      };
    }, COMMENT);
  }

  commentsPage(kudosId: string, page: PageRequest): Promise<Page<Comment>> {
    const after = page.after;
    const filter = after
      ? { kudosId, $or: [{ createdAt: { $gt: after.key } }, { createdAt: after.key, _id: { $gt: after.id } }] }
      : { kudosId };
    return guard(async () => {
      const docs = await this.m.comments
        .find(filter)
        .sort({ createdAt: 1, _id: 1 })
        .limit(page.limit + 1)
        .lean<CommentDoc[]>();
      const authorIds = [...new Set(docs.map((d) => d.authorId))];
      const authors = await this.m.users.find({ _id: { $in: authorIds } }, { name: 1, team: 1 }).lean<Person[]>();
      const byId = new Map(authors.map((a) => [a._id, a]));
      // Authors whose user record is gone are left out, as the sqlite join does.
      const items = docs.slice(0, page.limit).flatMap((d): Comment[] => {
        const a = byId.get(d.authorId);
        if (!a) return [];
        return [{ id: d._id, kudosId: d.kudosId, author: person(a), message: d.message, createdAt: d.createdAt }];
      });
      const last = docs[Math.min(docs.length, page.limit) - 1];
      return { items, next: docs.length > page.limit && last ? { key: last.createdAt, id: last._id } : null };
    });
  }
}

function person(p: Person): PersonRef {
  return { id: p._id, name: p.name, team: p.team };
}

/**
 * The flood guard. Unlike the allowance it is not serialised through the giver's gate: it only
 * has to stop floods, so concurrent posts of one giver may overshoot it by the number in flight.
 */
async function checkRate(m: Models, giverId: string, rate: GiverLimit): Promise<void> {
  const inWindow = { giverId, createdAt: { $gte: rate.from, $lt: rate.to } };
  const n = await m.kudos.countDocuments(inWindow);
  if (n < rate.max) return;
  const oldest = await m.kudos.findOne(inWindow, { createdAt: 1 }).sort({ createdAt: 1 }).lean<{ createdAt: string }>();
  throw new KudosRateLimitedError(rate.max, rate, oldest?.createdAt ?? rate.from);
}
