import { AllowanceExhaustedError } from '../../domain/errors.js';
import type {
  Comment, Cursor, FeedFilter, Iso, KudosRecord, NewComment, NewKudos, Page, PageRequest,
} from '../../domain/types.js';
import type { KudosWriteOptions } from '../store.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';
import { uniqueConflict } from './sqlite-errors.js';
import { feedWhere } from './sqlite-feed.query.js';
import { hydrateKudos, KUDOS_COLUMNS, type KudosRow } from './sqlite-kudos-records.js';

const SQL = {
  keyUsed: 'SELECT 1 AS hit FROM kudos WHERE giver_id = ? AND idempotency_key = ?',
  givenInWindow: `SELECT COUNT(*) AS n FROM kudos
    WHERE giver_id = ? AND created_at >= ? AND created_at < ? AND removed_at IS NULL`,
  recipientTeams: 'SELECT id, team FROM users WHERE id IN (SELECT value FROM json_each(?))',
  insertKudos: `INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids,
    behaviour_keys, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertRecipient: 'INSERT INTO kudos_recipients (kudos_id, user_id, team, position) VALUES (?, ?, ?, ?)',
  insertBehaviour: 'INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position) VALUES (?, ?, ?)',
  insertTeam: 'INSERT OR IGNORE INTO kudos_teams (kudos_id, team) VALUES (?, ?)',
  byId: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.id = ?`,
  byKey: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.giver_id = ? AND k.idempotency_key = ?`,
  remove: `UPDATE kudos SET removed_at = ?, removed_by = ?, removed_reason = ?
    WHERE id = ? AND removed_at IS NULL`,
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
  constructor(private readonly d: SqliteDb) {}

  createKudos(k: NewKudos, options?: KudosWriteOptions): KudosRecord {
    // Duplicates would break the (kudos, user) keys; the first mention keeps its position.
    const recipientIds = [...new Set(k.recipientIds)];
    const behaviourKeys = [...new Set(k.behaviourKeys)];
    this.d.write(() => {
      if (k.idempotencyKey !== null && this.d.get(SQL.keyUsed, k.giverId, k.idempotencyKey)) {
        throw uniqueConflict('kudos.giver_id, kudos.idempotency_key');
      }
      const allowance = options?.allowance;
      if (allowance) {
        const used = this.d.get<{ n: number }>(SQL.givenInWindow, k.giverId, allowance.from, allowance.to)?.n ?? 0;
        if (used >= allowance.max) throw new AllowanceExhaustedError(allowance.max, used);
      }
      const teamOf = new Map(
        this.d.all<{ id: string; team: string }>(SQL.recipientTeams, jsonList(recipientIds)).map((u) => [u.id, u.team]),
      );
      this.d.run(
        SQL.insertKudos, k.id, k.giverId, k.message, k.visibility, k.createdAt, JSON.stringify(k.teams),
        JSON.stringify(recipientIds), JSON.stringify(behaviourKeys), k.idempotencyKey,
      );
      // An unknown recipient has no team; the foreign key then rejects the row.
      recipientIds.forEach((id, i) => this.d.run(SQL.insertRecipient, k.id, id, teamOf.get(id) ?? '', i));
      behaviourKeys.forEach((key, i) => this.d.run(SQL.insertBehaviour, k.id, key, i));
      for (const team of k.teams) this.d.run(SQL.insertTeam, k.id, team);
    });
    return this.mustGet(k.id, k.giverId);
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
    const { clauses, params } = feedWhere(filter);
    if (page.after) {
      clauses.push('(k.created_at, k.id) < (?, ?)');
      params.push(page.after.key, page.after.id);
    }
    const rows = this.d.all<KudosRow>(
      `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE ${clauses.join(' AND ')}
        ORDER BY k.created_at DESC, k.id DESC LIMIT ?`,
      ...params, page.limit + 1,
    );
    const items = hydrateKudos(this.d, rows.slice(0, page.limit), filter.viewer.userId);
    const last = items[items.length - 1];
    return { items, next: rows.length > page.limit && last ? { key: last.createdAt, id: last.id } : null };
  }

  kudosAfter(filter: FeedFilter, after: Cursor, limit: number): KudosRecord[] {
    const { clauses, params } = feedWhere(filter);
    clauses.push('(k.created_at, k.id) > (?, ?)');
    params.push(after.key, after.id);
    const rows = this.d.all<KudosRow>(
      `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE ${clauses.join(' AND ')}
        ORDER BY k.created_at ASC, k.id ASC LIMIT ?`,
      ...params, limit,
    );
    return hydrateKudos(this.d, rows, filter.viewer.userId);
  }

  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): boolean {
    return this.d.run(SQL.remove, removal.at, removal.by, removal.reason, id) > 0;
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

  private mustGet(id: string, viewerId: string): KudosRecord {
    const k = this.getKudos(id, viewerId);
    if (!k) throw new Error(`kudos ${id} vanished during its own write`);
    return k;
  }
}
