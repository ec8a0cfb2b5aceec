import type { PipelineStage } from 'mongoose';
import { PairBatchBuilder, type PairBatch } from '../../domain/pair-batch.js';
import type { BehaviourCount, Iso, LeaderboardQuery, LeaderboardRow, UserCounts, Viewer } from '../../domain/types.js';
import { feedConditions } from './mongo-feed.query.js';
import { guard, translateMongoError } from './mongo-errors.js';
import type { Models } from './mongo-models.js';

const BATCH_KUDOS = 10_000;

interface KudosFacts {
  _id: string;
  giverId: string;
  createdAt: Iso;
  behaviourKeys: string[];
  recipients: string[];
}

function liveInWindow(from: Iso, to: Iso): PipelineStage.Match {
  return { $match: { removedAt: null, createdAt: { $gte: from, $lt: to } } };
}

/**
 * Joins the current name and team of the user whose id is `_id`; drops ids with no user.
 * Stages are built per call: the driver may annotate the objects it is given.
 */
const joinUser = (): PipelineStage[] => [
  { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'u' } },
  { $unwind: '$u' },
  { $project: { _id: 0, id: '$_id', name: '$u.name', team: '$u.team', count: 1 } },
];

/**
 * Per-behaviour counts over the matched kudos, as sqlite orders them (count desc, key asc), with
 * the behaviour's current name, or its key when the catalog lost it.
 */
const byBehaviour = (): PipelineStage.FacetPipelineStage[] => [
  { $unwind: '$behaviourKeys' },
  { $group: { _id: '$behaviourKeys', count: { $sum: 1 } } },
  { $sort: { count: -1, _id: 1 } },
  { $lookup: { from: 'behaviours', localField: '_id', foreignField: '_id', as: 'b' } },
  { $project: { _id: 0, key: '$_id', name: { $ifNull: [{ $arrayElemAt: ['$b.name', 0] }, '$_id'] }, count: 1 } },
];

interface CountsFacet {
  total: { n: number }[];
  byBehaviour: BehaviourCount[];
}

/** Rankings, per-person counts and the scoring stream, all computed by MongoDB pipelines. */
export class MongoInsight {
  constructor(private readonly m: Models) {}

  /** Non-removed kudos of every visibility; count desc, then name, then id (binary order, as sqlite). */
  leaderboard(q: LeaderboardQuery): Promise<LeaderboardRow[]> {
    const pipeline: PipelineStage[] = [liveInWindow(q.from, q.to)];
    if (q.behaviourKey !== undefined) pipeline.push({ $match: { behaviourKeys: q.behaviourKey } });
    if (q.publicOnly) pipeline.push({ $match: { visibility: 'public' } });
    if (q.by === 'giver') {
      pipeline.push({ $group: { _id: '$giverId', count: { $sum: 1 } } }, ...joinUser());
    } else if (q.by === 'recipient') {
      pipeline.push(
        { $unwind: '$recipients' },
        { $group: { _id: '$recipients.userId', count: { $sum: 1 } } },
        ...joinUser(),
      );
    } else {
      // Teams score (kudos, recipient) pairs by the recipient's team when the kudos was given.
      pipeline.push(
        { $unwind: '$recipients' },
        { $group: { _id: '$recipients.team', count: { $sum: 1 } } },
        { $project: { _id: 0, id: '$_id', name: '$_id', team: '$_id', count: 1 } },
      );
    }
    pipeline.push({ $sort: { count: -1, name: 1, id: 1 } }, { $limit: q.limit });
    return guard(async () => {
      const rows = await this.m.kudos.aggregate<LeaderboardRow>(pipeline);
      return rows.map((r) => ({ id: r.id, name: r.name, team: r.team ?? null, count: r.count }));
    });
  }

  /** All-time counts of non-removed kudos the viewer may see, with the feed's own conditions. */
  userCounts(userId: string, viewer: Viewer): Promise<UserCounts> {
    const facet = (filter: { recipientId: string } | { giverId: string }) =>
      this.m.kudos.aggregate<CountsFacet>([
        { $match: { $and: feedConditions({ viewer, ...filter }) } },
        { $facet: { total: [{ $count: 'n' }], byBehaviour: byBehaviour() } },
      ]);
    return guard(async () => {
      const [received, given] = await Promise.all([facet({ recipientId: userId }), facet({ giverId: userId })]);
      return {
        receivedTotal: received[0]?.total[0]?.n ?? 0,
        givenTotal: given[0]?.total[0]?.n ?? 0,
        receivedByBehaviour: received[0]?.byBehaviour ?? [],
        givenByBehaviour: given[0]?.byBehaviour ?? [],
      };
    });
  }

  givenCounts(from: Iso, to: Iso, publicOnly = false): Promise<Map<string, number>> {
    return guard(async () => {
      const rows = await this.m.kudos.aggregate<{ _id: string; n: number }>([
        liveInWindow(from, to),
        ...(publicOnly ? [{ $match: { visibility: 'public' } }] : []),
        { $group: { _id: '$giverId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    });
  }

  /**
   * Reads the period's kudos from a server-side cursor into batches of BATCH_KUDOS, so scoring a
   * large period never holds every kudos in memory and the event loop gets a turn between
   * network round trips.
   */
  async *periodPairBatches(from: Iso, to: Iso): AsyncGenerator<PairBatch> {
    const cursor = this.m.kudos
      .aggregate<KudosFacts>([
        liveInWindow(from, to),
        { $project: { _id: 1, giverId: 1, createdAt: 1, behaviourKeys: 1, recipients: '$recipients.userId' } },
      ])
      .cursor({ batchSize: 1000 });
    try {
      let builder = new PairBatchBuilder();
      for (;;) {
        let k: KudosFacts | null;
        try {
          k = await cursor.next();
        } catch (err) {
          throw translateMongoError(err);
        }
        if (k === null) break;
        builder.addKudos(k._id, k.giverId, Date.parse(k.createdAt), k.recipients, k.behaviourKeys);
        if (builder.kudosCount >= BATCH_KUDOS) {
          yield builder.build();
          builder = new PairBatchBuilder();
        }
      }
      if (builder.kudosCount > 0) yield builder.build();
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }
}
