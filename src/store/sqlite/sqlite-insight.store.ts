import type {
  BehaviourCount, Iso, LeaderboardBy, LeaderboardQuery, LeaderboardRow, UserCounts, Viewer,
} from '../../domain/types.js';
import type { PairBatch } from '../../domain/pair-batch.js';
import type { SqliteDb } from './sqlite-db.js';
import { childProbe, kudosKey, visibleToViewer, type KudosKey } from './sqlite-feed.query.js';
import { splitList } from './sqlite-id-lists.js';
import { behaviourNames } from './sqlite-kudos-records.js';
import { pairBatches } from './sqlite-pairs.stream.js';

const LIVE_IN_WINDOW = 'k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?';
const PAIRS_IN_WINDOW = 'r.removed_at IS NULL AND r.created_at >= ? AND r.created_at < ?';
const HAS_BEHAVIOUR = (kudos: KudosKey) => `AND ${childProbe('kudos_behaviours', 'behaviour_key', kudos)}`;
const IS_PUBLIC = (kudos: KudosKey) =>
  `AND EXISTS (SELECT 1 FROM kudos kv WHERE kv.id = ${kudos.id} AND kv.visibility = 'public')`;
/** A (kudos, recipient) row's kudos. */
const PAIR_KUDOS: KudosKey = { at: 'r.created_at', id: 'r.kudos_id' };

/**
 * One GROUP BY per ranking, over the index that holds the window in time order; people are
 * joined after aggregating (once per person, not once per kudos). `{b}` is replaced by the
 * optional behaviour and visibility filters.
 */
const LEADERBOARD: Record<LeaderboardBy, { sql: string; kudos: KudosKey }> = {
  recipient: {
    kudos: PAIR_KUDOS,
    sql: `SELECT u.id AS id, u.name AS name, u.team AS team, c.n AS count
      FROM (SELECT r.user_id AS id, COUNT(*) AS n FROM kudos_recipients r WHERE ${PAIRS_IN_WINDOW} {b}
            GROUP BY r.user_id) c
      JOIN users u ON u.id = c.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  },
  giver: {
    kudos: kudosKey('k'),
    sql: `SELECT u.id AS id, u.name AS name, u.team AS team, c.n AS count
      FROM (SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} {b} GROUP BY k.giver_id) c
      JOIN users u ON u.id = c.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  },
  // Teams score (kudos, recipient) pairs by the recipient's team when the kudos was given.
  team: {
    kudos: PAIR_KUDOS,
    sql: `SELECT r.team AS id, r.team AS name, r.team AS team, COUNT(*) AS count
      FROM kudos_recipients r WHERE ${PAIRS_IN_WINDOW} {b}
      GROUP BY r.team ORDER BY count DESC, r.team ASC LIMIT ?`,
  },
};

/**
 * A person's kudos received or given, counted per distinct list of behaviours (the kudos row's
 * own list): behaviourCounts splits the lists. `{v}` is replaced by the viewer's visibility
 * condition on kudos `k`; the user id is bound first.
 */
const COUNTS = {
  received: `SELECT k.behaviour_keys AS keys, COUNT(*) AS n FROM kudos_recipients r JOIN kudos k ON k.id = r.kudos_id
    WHERE r.user_id = ? AND r.removed_at IS NULL {v} GROUP BY k.behaviour_keys`,
  given: `SELECT k.behaviour_keys AS keys, COUNT(*) AS n FROM kudos k
    WHERE k.giver_id = ? AND k.removed_at IS NULL {v} GROUP BY k.behaviour_keys`,
};

const SQL = {
  givenCounts: `SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} GROUP BY k.giver_id`,
  givenCountsPublic: `SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} AND k.visibility = 'public' GROUP BY k.giver_id`,
};

/** Rankings, per-person counts and the scoring stream, all aggregated by sqlite. */
export class SqliteInsight {
  constructor(private readonly d: SqliteDb) {}

  leaderboard(q: LeaderboardQuery): LeaderboardRow[] {
    const { sql: template, kudos } = LEADERBOARD[q.by];
    const filters = `${q.behaviourKey === undefined ? '' : HAS_BEHAVIOUR(kudos)} ${q.publicOnly ? IS_PUBLIC(kudos) : ''}`;
    const sql = template.replace('{b}', filters);
    const params: unknown[] = [q.from, q.to];
    if (q.behaviourKey !== undefined) params.push(q.behaviourKey);
    return this.d.all<LeaderboardRow>(sql, ...params, q.limit);
  }

  userCounts(userId: string, viewer: Viewer): UserCounts {
    const visible = visibleToViewer(viewer);
    const sql = (template: string) => template.replace('{v}', visible ? `AND ${visible.sql}` : '');
    const params = [userId, ...(visible?.params ?? [])];
    const received = this.d.all<KeyListCount>(sql(COUNTS.received), ...params);
    const given = this.d.all<KeyListCount>(sql(COUNTS.given), ...params);
    const keys = new Set<string>();
    for (const row of [...received, ...given]) for (const key of splitList(row.keys)) keys.add(key);
    const names = behaviourNames(this.d, keys);
    return {
      receivedTotal: total(received),
      givenTotal: total(given),
      receivedByBehaviour: behaviourCounts(received, names),
      givenByBehaviour: behaviourCounts(given, names),
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

interface KeyListCount {
  keys: string;
  n: number;
}

const total = (rows: readonly KeyListCount[]) => rows.reduce((sum, r) => sum + r.n, 0);

/** Counts per behaviour, most used first, then by key (a kudos names each behaviour once). */
function behaviourCounts(rows: readonly KeyListCount[], names: ReadonlyMap<string, string>): BehaviourCount[] {
  const counts = new Map<string, number>();
  for (const r of rows) for (const key of splitList(r.keys)) counts.set(key, (counts.get(key) ?? 0) + r.n);
  return [...counts]
    .map(([key, count]) => ({ key, name: names.get(key) ?? key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
