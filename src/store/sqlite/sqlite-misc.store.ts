import type { AuditEntry, ClaimedResponse, Display, DisplayPatch, Iso, NewDisplay, Page, PageRequest, StoredResponse } from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';

interface AuditRow {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  details: string;
}

interface DisplayRow {
  id: string;
  name: string;
  team: string | null;
  created_at: string;
  created_by: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

interface ResponseRow {
  user_id: string;
  key: string;
  method: string;
  path: string;
  status: number;
  body: string;
  created_at: string;
}

const DISPLAY_COLUMNS = 'id, name, team, created_at, created_by, last_seen_at, revoked_at';

function toDisplay(r: DisplayRow): Display {
  return {
    id: r.id,
    name: r.name,
    team: r.team,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  };
}

const SQL = {
  // Fixed window in one statement, so concurrent hits (even from another process) never lose a count.
  hit: `INSERT INTO counters (key, count, reset_at_ms) VALUES (@key, 1, @now + @window)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN counters.reset_at_ms <= @now THEN 1 ELSE counters.count + 1 END,
      reset_at_ms = CASE WHEN counters.reset_at_ms <= @now THEN @now + @window ELSE counters.reset_at_ms END
    RETURNING count, reset_at_ms`,
};

/** Audit trail, TV display credentials, idempotent responses and rate-limit counters. */
export class SqliteMisc {
  constructor(private readonly d: SqliteDb) {}

  appendAudit(e: AuditEntry): void {
    this.d.run(
      'INSERT INTO audit (id, at, actor_id, action, target_type, target_id, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      e.id, e.at, e.actorId, e.action, e.targetType, e.targetId, JSON.stringify(e.details),
    );
  }

  auditPage(page: PageRequest): Page<AuditEntry> {
    const after = page.after ? 'WHERE (at, id) < (?, ?)' : '';
    const params: unknown[] = page.after ? [page.after.key, page.after.id] : [];
    const rows = this.d.all<AuditRow>(
      `SELECT id, at, actor_id, action, target_type, target_id, details FROM audit ${after}
        ORDER BY at DESC, id DESC LIMIT ?`,
      ...params, page.limit + 1,
    );
    const items = rows.slice(0, page.limit).map((r): AuditEntry => ({
      id: r.id,
      at: r.at,
      actorId: r.actor_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
    const last = items[items.length - 1];
    return { items, next: rows.length > page.limit && last ? { key: last.at, id: last.id } : null };
  }

  createDisplay(d: NewDisplay): Display {
    this.d.run(
      `INSERT INTO displays (id, name, team, created_at, created_by, token_hash) VALUES (?, ?, ?, ?, ?, ?)`,
      d.id, d.name, d.team, d.createdAt, d.createdBy, d.tokenHash,
    );
    return { id: d.id, name: d.name, team: d.team, createdAt: d.createdAt, createdBy: d.createdBy, lastSeenAt: null, revokedAt: null };
  }

  listDisplays(): Display[] {
    return this.d.all<DisplayRow>(`SELECT ${DISPLAY_COLUMNS} FROM displays ORDER BY created_at, id`).map(toDisplay);
  }

  getDisplay(id: string): Display | null {
    const r = this.d.get<DisplayRow>(`SELECT ${DISPLAY_COLUMNS} FROM displays WHERE id = ?`, id);
    return r ? toDisplay(r) : null;
  }

  /** Revoked displays are returned too (with revokedAt set); the caller refuses them. */
  getDisplayByTokenHash(tokenHash: string): Display | null {
    const r = this.d.get<DisplayRow>(`SELECT ${DISPLAY_COLUMNS} FROM displays WHERE token_hash = ?`, tokenHash);
    return r ? toDisplay(r) : null;
  }

  revokeDisplay(id: string, at: Iso): boolean {
    return this.d.run('UPDATE displays SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', at, id) > 0;
  }

  /** One conditional statement: a revoke committed first wins, and nothing is changed. */
  updateDisplay(id: string, patch: DisplayPatch): Display | null {
    const cols: [string, unknown][] = [];
    if (patch.name !== undefined) cols.push(['name', patch.name]);
    if (patch.team !== undefined) cols.push(['team', patch.team]);
    // An empty patch still answers whether the display is there and on air.
    const sets = cols.length > 0 ? cols.map(([c]) => `${c} = ?`) : ['id = id'];
    const params = cols.map(([, v]) => v);
    const r = this.d.get<DisplayRow>(
      `UPDATE displays SET ${sets.join(', ')} WHERE id = ? AND revoked_at IS NULL RETURNING ${DISPLAY_COLUMNS}`, ...params, id,
    );
    return r ? toDisplay(r) : null;
  }

  touchDisplay(id: string, at: Iso): void {
    this.d.run('UPDATE displays SET last_seen_at = ? WHERE id = ?', at, id);
  }

  getStoredResponse(userId: string, key: string): StoredResponse | null {
    const r = this.d.get<ResponseRow>(
      'SELECT user_id, key, method, path, status, body, created_at FROM stored_responses WHERE user_id = ? AND key = ?',
      userId, key,
    );
    if (!r) return null;
    return { userId: r.user_id, key: r.key, method: r.method, path: r.path, status: r.status, body: r.body, createdAt: r.created_at };
  }

  claimStoredResponse(r: ClaimedResponse, staleBefore: Iso, expiredBefore: Iso): StoredResponse | null {
    // One statement: two processes claiming the same key cannot both succeed.
    const claimed = this.d.get(
      `INSERT INTO stored_responses (user_id, key, method, path, status, body, created_at)
        VALUES (?, ?, ?, ?, 0, '', ?)
        ON CONFLICT (user_id, key) DO UPDATE SET method = excluded.method, path = excluded.path,
          status = 0, body = '', created_at = excluded.created_at
        WHERE (stored_responses.status = 0 AND stored_responses.created_at < ?) OR stored_responses.created_at < ?
        RETURNING 1 AS hit`,
      r.userId, r.key, r.method, r.path, r.createdAt, staleBefore, expiredBefore,
    );
    if (claimed) return null;
    // Given back by its request between the two statements: claim again.
    return this.getStoredResponse(r.userId, r.key) ?? this.claimStoredResponse(r, staleBefore, expiredBefore);
  }

  completeStoredResponse(claim: ClaimedResponse, status: number, body: string): void {
    this.d.run(
      'UPDATE stored_responses SET status = ?, body = ? WHERE user_id = ? AND key = ? AND status = 0 AND created_at = ?',
      status, body, claim.userId, claim.key, claim.createdAt,
    );
  }

  releaseStoredResponse(claim: ClaimedResponse): void {
    this.d.run('DELETE FROM stored_responses WHERE user_id = ? AND key = ? AND status = 0 AND created_at = ?', claim.userId, claim.key, claim.createdAt);
  }

  pruneStoredResponses(before: Iso): void {
    this.d.run('DELETE FROM stored_responses WHERE created_at < ?', before);
  }

  hitCounter(key: string, windowMs: number, nowMs: number): { count: number; resetAtMs: number } {
    const r = this.d.get<{ count: number; reset_at_ms: number }>(SQL.hit, { key, now: nowMs, window: windowMs });
    if (!r) throw new Error('counter upsert returned no row');
    return { count: r.count, resetAtMs: r.reset_at_ms };
  }

  decrementCounter(key: string): void {
    this.d.run('UPDATE counters SET count = MAX(count - 1, 0) WHERE key = ?', key);
  }

  resetCounter(key: string): void {
    this.d.run('DELETE FROM counters WHERE key = ?', key);
  }

  pruneCounters(nowMs: number): number {
    return this.d.run('DELETE FROM counters WHERE reset_at_ms <= ?', nowMs);
  }
}
