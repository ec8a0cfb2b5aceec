import type {
  Comment, Cursor, FeedFilter, Iso, KudosRecord, NewComment, NewKudos, Page, PageRequest,
} from '../../domain/types.js';
import type { KudosWriteOptions } from '../store.js';
import type { SqliteDb } from './sqlite-db.js';
import { feedQuery } from './sqlite-feed.query.js';
import { hydrateKudos, KUDOS_COLUMNS, type KudosRow } from './sqlite-kudos-records.js';
import type { KudosWriter } from './sqlite-kudos-writer.js';
import { splitList } from './sqlite-id-lists.js';

const SQL = {
  byId: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.id = ?`,
  byKey: `SELECT ${KUDOS_COLUMNS} FROM kudos k WHERE k.giver_id = ? AND k.idempotency_key = ?`,
  // Answers with what the recipient rows' keys need: one statement, no second read of the row.
  remove: `UPDATE kudos SET removed_at = ?, removed_by = ?, removed_reason = ?
    WHERE id = ? AND removed_at IS NULL RETURNING created_at, recipient_ids`,
  // The whole primary key, so each recipient's row is one lookup (migration 8).
  removeRecipient: 'UPDATE kudos_recipients SET removed_at = ? WHERE user_id = ? AND created_at = ? AND kudos_id = ?',
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

/**
 * Kudos reads, reactions and comments; new kudos go to a KudosWriter (a group commit on this
 * connection, or the writer thread: SqliteWriterMode), see sqlite-kudos-insert.ts.
 */
export class SqliteKudos {
  constructor(private readonly d: SqliteDb, private readonly writer: KudosWriter) {}

  /** Atomic per kudos with its checks; concurrent calls share one commit (see GroupCommit). */
  createKudos(k: NewKudos, options?: KudosWriteOptions): Promise<KudosRecord> {
    return this.writer.submit({ k, options });
  }

  getKudos(id: string, viewerId: string | null): KudosRecord | null {
    const row = this.d.get<KudosRow>(SQL.byId, id);
    return row ? (hydrateKudos(this.d, [row], viewerId)[0] ?? null) : null;
  }

  privateKudosIds(ids: readonly string[]): Set<string> {
    const rows = this.d.all<{ id: string }>(
      "SELECT id FROM kudos WHERE visibility = 'private' AND id IN (SELECT value FROM json_each(?))",
      JSON.stringify(ids),
    );
    return new Set(rows.map((r) => r.id));
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

  /** Runs in the caller's write transaction (SqliteStore.write): the kudos and its recipient rows go together. */
  removeKudos(id: string, removal: { by: string; reason: string | null; at: Iso }): boolean {
    const k = this.d.get<{ created_at: string; recipient_ids: string }>(SQL.remove, removal.at, removal.by, removal.reason, id);
    if (!k) return false;
    for (const userId of splitList(k.recipient_ids)) this.d.run(SQL.removeRecipient, removal.at, userId, k.created_at, id);
    return true;
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
