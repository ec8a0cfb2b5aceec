import { AllowanceExhaustedError, KudosRateLimitedError } from '../../domain/errors.js';
import type {
  Comment, Cursor, FeedFilter, Iso, KudosRecord, NewComment, NewKudos, Page, PageRequest,
} from '../../domain/types.js';
import type { KudosWriteOptions } from '../store.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';
import { uniqueConflict } from './sqlite-errors.js';
import { feedQuery } from './sqlite-feed.query.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { joinList } from './sqlite-id-lists.js';
import { hydrateKudos, KUDOS_COLUMNS, type KudosRow } from './sqlite-kudos-records.js';
import { scoreRefs } from './sqlite-score-refs.js';

const SQL = {
  keyUsed: 'SELECT 1 AS hit FROM kudos WHERE giver_id = ? AND idempotency_key = ?',
  givenInWindow: `SELECT COUNT(*) AS n FROM kudos
    WHERE giver_id = ? AND created_at >= ? AND created_at < ? AND removed_at IS NULL`,
  postedInWindow: `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM kudos
    WHERE giver_id = ? AND created_at >= ? AND created_at < ?`,
  people: 'SELECT id, team, seq FROM users WHERE id IN (SELECT value FROM json_each(?))',
  behaviourSeqs: 'SELECT key, seq FROM behaviours WHERE key IN (SELECT value FROM json_each(?))',
  insertKudos: `INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids,
    behaviour_keys, idempotency_key, score_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertRecipient: `INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at)
    VALUES (?, ?, ?, ?, ?)`,
  insertBehaviour: 'INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at) VALUES (?, ?, ?, ?)',
  insertTeam: 'INSERT OR IGNORE INTO kudos_teams (kudos_id, team, created_at) VALUES (?, ?, ?)',
  byId: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.id = ?`,
  byIds: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.id IN (SELECT value FROM json_each(?))`,
  byKey: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.giver_id = ? AND k.idempotency_key = ?`,
  remove: `UPDATE kudos SET removed_at = ?, removed_by = ?, removed_reason = ?
    WHERE id = ? AND removed_at IS NULL`,
  removeRecipients: 'UPDATE kudos_recipients SET removed_at = ? WHERE kudos_id = ?',
  reactOn: 'INSERT OR IGNORE INTO reactions (kudos_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?)',
  reactOff: 'DELETE FROM reactions WHERE kudos_id = ? AND user_id = ? AND emoji = ?',
  insertComment: 'INSERT INTO comments (id, kudos_id, author_id, message, created_at) VALUES (?, ?, ?, ?, ?)',
  author: 'SELECT id, name, team FROM users WHERE id = ?',
};

interface CommentRow {
  id: string;
  kudos_id: string;
  author_id: string;
  name: string;
  team: string;
  message: string;
  created_at: string;
}

/** Kudos writes and reads: creation with its atomic checks, the feed, reactions and comments. */
export class SqliteKudos {
  private readonly writer: GroupCommit<{ k: NewKudos; options?: KudosWriteOptions }, KudosRecord>;

  constructor(private readonly d: SqliteDb) {
    this.writer = new GroupCommit(
      d,
      ({ k, options }) => this.insert(k, options),
      (ids) => {
        const rows = this.d.all<KudosRow>(SQL.byIds, jsonList(ids));
        // A brand-new kudos has no reactions yet, so no viewer is needed for myReactions.
        return new Map(hydrateKudos(this.d, rows, null).map((r) => [r.id, r]));
      },
    );
  }

  /** Atomic per kudos; concurrent calls share one commit (see GroupCommit). */
  createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord> {
    return this.writer.submit({ k, options });
  }

  /** Writes still queued for a group commit, run now (before the connection closes). */
  flush(): void {
    this.writer.flush();
  }

  /** The checks and inserts of one kudos; runs inside a transaction (a SAVEPOINT of the batch). */
  private insert(k: NewKudos, options?: KudosWriteOptions): string {
    // Duplicates would break the (kudos, user) keys; the first mention keeps its position.
    const recipientIds = [...new Set(k.recipientIds)];
    const behaviourKeys = [...new Set(k.behaviourKeys)];
    if (k.idempotencyKey !== null && this.d.get(SQL.keyUsed, k.giverId, k.idempotencyKey)) {
      throw uniqueConflict('kudos.giver_id, kudos.idempotency_key');
    }
    const rate = options?.rate;
    if (rate) {
      const r = this.d.get<{ n: number; oldest: string | null }>(SQL.postedInWindow, k.giverId, rate.from, rate.to);
      if (r && r.n >= rate.max) throw new KudosRateLimitedError(rate.max, rate, r.oldest ?? rate.from);
    }
    const allowance = options?.allowance;
    if (allowance) {
      const used = this.d.get<{ n: number }>(SQL.givenInWindow, k.giverId, allowance.from, allowance.to)?.n ?? 0;
      if (used >= allowance.max) throw new AllowanceExhaustedError(allowance.max, used);
    }
    const people = new Map(
      this.d.all<{ id: string; team: string; seq: number | null }>(SQL.people, jsonList([k.giverId, ...recipientIds]))
        .map((u) => [u.id, u]),
    );
    const behaviourSeq = new Map(
      this.d.all<{ key: string; seq: number | null }>(SQL.behaviourSeqs, jsonList(behaviourKeys)).map((b) => [b.key, b.seq]),
    );
    const refs = scoreRefs(
      people.get(k.giverId)?.seq, recipientIds.map((id) => people.get(id)?.seq), behaviourKeys.map((key) => behaviourSeq.get(key)),
    );
    this.d.run(
      SQL.insertKudos, k.id, k.giverId, k.message, k.visibility, k.createdAt, JSON.stringify(k.teams),
      joinList(recipientIds), joinList(behaviourKeys), k.idempotencyKey, refs,
    );
    // An unknown recipient has no team; the foreign key then rejects the row.
    recipientIds.forEach((id, i) => this.d.run(SQL.insertRecipient, k.id, id, people.get(id)?.team ?? '', i, k.createdAt));
    behaviourKeys.forEach((key, i) => this.d.run(SQL.insertBehaviour, k.id, key, i, k.createdAt));
    for (const team of k.teams) this.d.run(SQL.insertTeam, k.id, team, k.createdAt);
    return k.id;
  }

  getKudos(id: string, viewerId: string | null): KudosRecord | null {
    const row = this.d.get<KudosRow>(SQL.byId, id);
    return row ? (hydrateKudos(this.d, [row], viewerId)[0] ?? null) : null;
  }

  getKudosByIdempotencyKey(giverId: string, key: string): KudosRecord | null {
    const row = this.d.get<KudosRow>(SQL.byKey, giverId, key);
    return row ? (hydrateKudos(this.d, [row], giverId)[0] ?? null) : null;
  }

  feedPage(filter: FeedFilter, page: PageRequest): Page<KudosRecord> {
    const { sql, params } = feedQuery(filter, 'newest', page.after, page.limit + 1);
    const rows = this.d.all<KudosRow>(sql, ...params);
    const items = hydrateKudos(this.d, rows.slice(0, page.limit), filter.viewer.userId);
    const last = items[items.length - 1];
    return { items, next: rows.length > page.limit && last ? { key: last.createdAt, id: last.id } : null };
  }

  kudosAfter(filter: FeedFilter, after: Cursor, limit: number): KudosRecord[] {
    const { sql, params } = feedQuery(filter, 'oldest', after, limit);
    return hydrateKudos(this.d, this.d.all<KudosRow>(sql, ...params), filter.viewer.userId);
  }

  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): boolean {
    return this.d.write(() => {
      if (this.d.run(SQL.remove, removal.at, removal.by, removal.reason, id) === 0) return false;
      this.d.run(SQL.removeRecipients, removal.at, id);
      return true;
    });
  }

  setReaction(kudosId: string, userId: string, emoji: string, on: boolean, at: Iso): boolean {
    const changes = on
      ? this.d.run(SQL.reactOn, kudosId, userId, emoji, at)
      : this.d.run(SQL.reactOff, kudosId, userId, emoji);
    return changes > 0;
  }

  addComment(c: NewComment): Comment {
    this.d.run(SQL.insertComment, c.id, c.kudosId, c.authorId, c.message, c.createdAt);
    const author = this.d.get<{ id: string; name: string; team: string }>(SQL.author, c.authorId);
    return {
      id: c.id,
      kudosId: c.kudosId,
      author: author ?? { id: c.authorId, name: '', team: '' },
      message: c.message,
      createdAt: c.createdAt,
    };
  }

  commentsPage(kudosId: string, page: PageRequest): Page<Comment> {
    const after = page.after ? 'AND (c.created_at, c.id) > (?, ?)' : '';
    const params: unknown[] = page.after ? [kudosId, page.after.key, page.after.id] : [kudosId];
    const rows = this.d.all<CommentRow>(
      `SELECT c.id, c.kudos_id, c.author_id, u.name, u.team, c.message, c.created_at
        FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.kudos_id = ? ${after} ORDER BY c.created_at, c.id LIMIT ?`,
      ...params, page.limit + 1,
    );
    const items = rows.slice(0, page.limit).map((r): Comment => ({
      id: r.id,
      kudosId: r.kudos_id,
      author: { id: r.author_id, name: r.name, team: r.team },
      message: r.message,
      createdAt: r.created_at,
    }));
    const last = items[items.length - 1];
    return { items, next: rows.length > page.limit && last ? { key: last.createdAt, id: last.id } : null };
  }
}
