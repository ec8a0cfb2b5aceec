import type {
  BehaviourCount, Iso, LeaderboardBy, LeaderboardQuery, LeaderboardRow, UserCounts, Viewer,
} from '../../domain/types.js';
import type { PairBatch } from '../../domain/pair-batch.js';
import type { SqliteDb } from './sqlite-db.js';
import { visibleToViewer } from './sqlite-feed.query.js';
import { pairBatches } from './sqlite-pairs.stream.js';

const LIVE_IN_WINDOW = 'k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?';
const PAIRS_IN_WINDOW = 'r.removed_at IS NULL AND r.created_at >= ? AND r.created_at < ?';
const HAS_BEHAVIOUR = (kudosId: string) =>
  `AND EXISTS (SELECT 1 FROM kudos_behaviours kb WHERE kb.kudos_id = ${kudosId} AND kb.behaviour_key = ?)`;
const IS_PUBLIC = (kudosId: string) =>
  `AND EXISTS (SELECT 1 FROM kudos kv WHERE kv.id = ${kudosId} AND kv.visibility = 'public')`;

/**
 * One GROUP BY per ranking, over the index that holds the window in time order; people are
 * joined after aggregating (once per person, not once per kudos). `{b}` is replaced by the
 * optional behaviour and visibility filters.
 */
const LEADERBOARD: Record<LeaderboardBy, { sql: string; kudosId: string }> = {
  recipient: {
    kudosId: 'r.kudos_id',
    sql: `SELECT u.id AS id, u.name AS name, u.team AS team, c.n AS count
      FROM (SELECT r.user_id AS id, COUNT(*) AS n FROM kudos_recipients r WHERE ${PAIRS_IN_WINDOW} {b}
            GROUP BY r.user_id) c
      JOIN users u ON u.id = c.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  },
  giver: {
    kudosId: 'k.id',
    sql: `SELECT u.id AS id, u.name AS name, u.team AS team, c.n AS count
      FROM (SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} {b} GROUP BY k.giver_id) c
      JOIN users u ON u.id = c.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  },
  // Teams score (kudos, recipient) pairs by the recipient's team when the kudos was given.
  team: {
    kudosId: 'r.kudos_id',
    sql: `SELECT r.team AS id, r.team AS name, r.team AS team, COUNT(*) AS count
      FROM kudos_recipients r WHERE ${PAIRS_IN_WINDOW} {b}
      GROUP BY r.team ORDER BY count DESC, r.team ASC LIMIT ?`,
  },
};

/** Per-behaviour counts over the kudos a person received or gave (`where` binds the user id). */
const byBehaviour = (from: string, where: string) => `SELECT kb.behaviour_key AS key,
    COALESCE(b.name, kb.behaviour_key) AS name, COUNT(*) AS count
  FROM ${from} LEFT JOIN behaviours b ON b.key = kb.behaviour_key
  WHERE ${where}
  GROUP BY kb.behaviour_key ORDER BY count DESC, key ASC`;

/** `{v}` is replaced by the viewer's visibility condition on kudos `k` (userCounts). */
const COUNTS = {
  receivedTotal: 'SELECT COUNT(*) AS n FROM kudos_recipients r JOIN kudos k ON k.id = r.kudos_id WHERE r.user_id = ? AND r.removed_at IS NULL {v}',
  givenTotal: 'SELECT COUNT(*) AS n FROM kudos k WHERE k.giver_id = ? AND k.removed_at IS NULL {v}',
  receivedByBehaviour: byBehaviour(
    'kudos_recipients r JOIN kudos k ON k.id = r.kudos_id JOIN kudos_behaviours kb ON kb.kudos_id = r.kudos_id',
    'r.user_id = ? AND r.removed_at IS NULL {v}',
  ),
  givenByBehaviour: byBehaviour(
    'kudos k JOIN kudos_behaviours kb ON kb.kudos_id = k.id',
    'k.giver_id = ? AND k.removed_at IS NULL {v}',
  ),
};

const SQL = {
  givenCounts: `SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} GROUP BY k.giver_id`,
  givenCountsPublic: `SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} AND k.visibility = 'public' GROUP BY k.giver_id`,
};

/** Rankings, per-person counts and the scoring stream, all aggregated by sqlite. */
export class SqliteInsight {
  constructor(private readonly d: SqliteDb) {}

  leaderboard(q: LeaderboardQuery): LeaderboardRow[] {
    const { sql: template, kudosId } = LEADERBOARD[q.by];
    const filters = `${q.behaviourKey === undefined ? '' : HAS_BEHAVIOUR(kudosId)} ${q.publicOnly ? IS_PUBLIC(kudosId) : ''}`;
    const sql = template.replace('{b}', filters);
    const params: unknown[] = [q.from, q.to];
    if (q.behaviourKey !== undefined) params.push(q.behaviourKey);
    return this.d.all<LeaderboardRow>(sql, ...params, q.limit);
  }

  userCounts(userId: string, viewer: Viewer): UserCounts {
    const visible = visibleToViewer(viewer);
    const sql = (template: string) => template.replace('{v}', visible ? `AND ${visible.sql}` : '');
    const params = [userId, ...(visible?.params ?? [])];
    return {
      receivedTotal: this.d.get<{ n: number }>(sql(COUNTS.receivedTotal), ...params)?.n ?? 0,
      givenTotal: this.d.get<{ n: number }>(sql(COUNTS.givenTotal), ...params)?.n ?? 0,
      receivedByBehaviour: this.d.all<BehaviourCount>(sql(COUNTS.receivedByBehaviour), ...params),
      givenByBehaviour: this.d.all<BehaviourCount>(sql(COUNTS.givenByBehaviour), ...params),
    };
  }

  givenCounts(from: Iso, to: Iso, publicOnly = false): Map<string, number> {
    const rows = this.d.all<{ id: string; n: number }>(publicOnly ? SQL.givenCountsPublic : SQL.givenCounts, from, to);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  periodPairBatches(from: Iso, to: Iso): AsyncIterable<PairBatch> {
    return pairBatches(this.d, from, to);
  }
}
