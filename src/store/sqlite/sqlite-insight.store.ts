import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type {
  BehaviourCount, Iso, LeaderboardBy, LeaderboardQuery, LeaderboardRow, ScoringPair, UserCounts,
} from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';

const LIVE_IN_WINDOW = 'k.removed_at IS NULL AND k.created_at >= ? AND k.created_at < ?';
const HAS_BEHAVIOUR = 'AND EXISTS (SELECT 1 FROM kudos_behaviours kb WHERE kb.kudos_id = k.id AND kb.behaviour_key = ?)';

/** One GROUP BY per ranking; `{b}` is replaced by the optional behaviour filter. */
const LEADERBOARD: Record<LeaderboardBy, string> = {
  recipient: `SELECT u.id AS id, u.name AS name, u.team AS team, COUNT(*) AS count
    FROM kudos k JOIN kudos_recipients r ON r.kudos_id = k.id JOIN users u ON u.id = r.user_id
    WHERE ${LIVE_IN_WINDOW} {b} GROUP BY u.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  giver: `SELECT u.id AS id, u.name AS name, u.team AS team, COUNT(*) AS count
    FROM kudos k JOIN users u ON u.id = k.giver_id
    WHERE ${LIVE_IN_WINDOW} {b} GROUP BY u.id ORDER BY count DESC, u.name ASC, u.id ASC LIMIT ?`,
  // Teams score (kudos, recipient) pairs by the recipient's team when the kudos was given.
  team: `SELECT r.team AS id, r.team AS name, r.team AS team, COUNT(*) AS count
    FROM kudos k JOIN kudos_recipients r ON r.kudos_id = k.id
    WHERE ${LIVE_IN_WINDOW} {b} GROUP BY r.team ORDER BY count DESC, r.team ASC LIMIT ?`,
};

/** Per-behaviour counts over the kudos a person received or gave (`where` binds the user id). */
const byBehaviour = (from: string, where: string) => `SELECT kb.behaviour_key AS key,
    COALESCE(b.name, kb.behaviour_key) AS name, COUNT(*) AS count
  FROM ${from} JOIN kudos_behaviours kb ON kb.kudos_id = k.id LEFT JOIN behaviours b ON b.key = kb.behaviour_key
  WHERE ${where} AND k.removed_at IS NULL
  GROUP BY kb.behaviour_key ORDER BY count DESC, key ASC`;

const RECEIVED_FROM = 'kudos_recipients r JOIN kudos k ON k.id = r.kudos_id';

const SQL = {
  receivedTotal: `SELECT COUNT(*) AS n FROM ${RECEIVED_FROM} WHERE r.user_id = ? AND k.removed_at IS NULL`,
  givenTotal: 'SELECT COUNT(*) AS n FROM kudos k WHERE k.giver_id = ? AND k.removed_at IS NULL',
  receivedByBehaviour: byBehaviour(RECEIVED_FROM, 'r.user_id = ?'),
  givenByBehaviour: byBehaviour('kudos k', 'k.giver_id = ?'),
  givenCounts: `SELECT k.giver_id AS id, COUNT(*) AS n FROM kudos k WHERE ${LIVE_IN_WINDOW} GROUP BY k.giver_id`,
  // recipient_ids/behaviour_keys are denormalised on the kudos row, so scoring reads one table.
  pairs: `SELECT k.id, k.giver_id, k.created_at, k.recipient_ids, k.behaviour_keys FROM kudos k
    WHERE ${LIVE_IN_WINDOW}`,
};

type PairRow = [id: string, giverId: string, createdAt: string, recipientIds: string, behaviourKeys: string];

/** Rankings, per-person counts and the scoring stream, all aggregated by sqlite. */
export class SqliteInsight {
  constructor(private readonly d: SqliteDb) {}

  leaderboard(q: LeaderboardQuery): LeaderboardRow[] {
    const sql = LEADERBOARD[q.by].replace('{b}', q.behaviourKey === undefined ? '' : HAS_BEHAVIOUR);
    const params: unknown[] = [q.from, q.to];
    if (q.behaviourKey !== undefined) params.push(q.behaviourKey);
    return this.d.all<LeaderboardRow>(sql, ...params, q.limit).map((r) => ({ ...r }));
  }

  userCounts(userId: string): UserCounts {
    return {
      receivedTotal: this.d.get<{ n: number }>(SQL.receivedTotal, userId)?.n ?? 0,
      givenTotal: this.d.get<{ n: number }>(SQL.givenTotal, userId)?.n ?? 0,
      receivedByBehaviour: this.d.all<BehaviourCount>(SQL.receivedByBehaviour, userId),
      givenByBehaviour: this.d.all<BehaviourCount>(SQL.givenByBehaviour, userId),
    };
  }

  givenCounts(from: Iso, to: Iso): Map<string, number> {
    const rows = this.d.all<{ id: string; n: number }>(SQL.givenCounts, from, to);
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /**
   * Streams pairs from a private connection: a better-sqlite3 connection with an open iterator
   * refuses writes, and the consumer may await between pairs while requests keep writing.
   * WAL gives that connection one consistent snapshot for the whole iteration.
   */
  async *periodPairs(from: Iso, to: Iso): AsyncGenerator<ScoringPair> {
    const own = this.d.file !== ':memory:' && this.d.file !== '';
    let reader: Db | null = null;
    let rows: IterableIterator<unknown> | null = null;
    try {
      reader = own ? openReader(this.d.file) : this.d.db;
      rows = reader.prepare(SQL.pairs).raw(true).iterate(from, to);
      for (const raw of rows) {
        const [kudosId, giverId, createdAt, recipientsJson, keysJson] = raw as PairRow;
        const recipientIds = JSON.parse(recipientsJson) as string[];
        const behaviourKeys: readonly string[] = JSON.parse(keysJson) as string[];
        const recipientCount = recipientIds.length;
        for (const recipientId of recipientIds) {
          yield { kudosId, giverId, recipientId, createdAt, recipientCount, behaviourKeys };
        }
      }
    } catch (err) {
      throw translateSqliteError(err);
    } finally {
      rows?.return?.();
      if (own && reader?.open) reader.close();
    }
  }
}

function openReader(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('query_only = ON');
  return db;
}
