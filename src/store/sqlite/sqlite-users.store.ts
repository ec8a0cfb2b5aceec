import type { NewUser, Page, PageRequest, Role, TeamCount, User, UserFilter, UserPatch } from '../../domain/types.js';
import { compareTeams } from '../../domain/teams.js';
import { nameKey } from '../../domain/name-key.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';
import { NEXT_SEQ } from './sqlite-score-refs.js';

interface UserRow {
  id: string;
  name: string;
  name_key: string;
  email: string;
  team: string;
  role: Role;
  manager_id: string | null;
  active: number;
  token_version: number;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, name, name_key, email, team, role, manager_id, active, token_version, password_hash,
  created_at, updated_at`;

function toUser(r: UserRow): User {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    team: r.team,
    role: r.role,
    managerId: r.manager_id,
    active: r.active === 1,
    tokenVersion: r.token_version,
    passwordHash: r.password_hash,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The columns a patch touches, with values in their stored form. */
function patchColumns(p: UserPatch): [string, unknown][] {
  const cols: [string, unknown][] = [['updated_at', p.updatedAt]];
  if (p.name !== undefined) cols.push(['name', p.name], ['name_key', nameKey(p.name)]);
  if (p.email !== undefined) cols.push(['email', p.email.toLowerCase()]);
  if (p.team !== undefined) cols.push(['team', p.team]);
  if (p.role !== undefined) cols.push(['role', p.role]);
  if (p.managerId !== undefined) cols.push(['manager_id', p.managerId]);
  if (p.active !== undefined) cols.push(['active', p.active ? 1 : 0]);
  if (p.passwordHash !== undefined) cols.push(['password_hash', p.passwordHash]);
  return cols;
}

/** People: the users table and the directory listing. */
export class SqliteUsers {
  constructor(private readonly d: SqliteDb) {}

  createUser(u: NewUser): User {
    this.d.run(
      `INSERT INTO users (${COLUMNS}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ${NEXT_SEQ('users')})`,
      u.id, u.name, nameKey(u.name), u.email.toLowerCase(), u.team, u.role, u.managerId, u.passwordHash,
      u.createdAt, u.createdAt,
    );
    return this.mustGet(u.id);
  }

  getUser(id: string): User | null {
    const r = this.d.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`, id);
    return r ? toUser(r) : null;
  }

  getUserByEmail(email: string): User | null {
    const r = this.d.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = ?`, email.toLowerCase());
    return r ? toUser(r) : null;
  }

  /** In the order asked for, absent ids skipped. */
  getUsersByIds(ids: readonly string[]): User[] {
    if (ids.length === 0) return [];
    const rows = this.d.all<UserRow>(
      `SELECT ${COLUMNS} FROM users WHERE id IN (SELECT value FROM json_each(?))`,
      jsonList(ids),
    );
    const byId = new Map(rows.map((r) => [r.id, toUser(r)]));
    const out: User[] = [];
    for (const id of new Set(ids)) {
      const u = byId.get(id);
      if (u) out.push(u);
    }
    return out;
  }

  updateUser(id: string, patch: UserPatch): User | null {
    const cols = patchColumns(patch);
    const sets = cols.map(([column]) => `${column} = ?`);
    if (patch.bumpTokenVersion) sets.push('token_version = token_version + 1');
    const changed = this.d.run(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`, ...cols.map(([, v]) => v), id);
    return changed === 0 ? null : this.mustGet(id);
  }

  listUsers(filter: UserFilter, page: PageRequest): Page<User> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (!filter.includeInactive) where.push('active = 1');
    if (filter.team !== undefined) {
      where.push('team = ?');
      params.push(filter.team);
    }
    if (filter.q) {
      // instr() is a plain substring test: no LIKE wildcards to escape. Names match on their
      // folded key (accents ignored); emails are stored lower-cased and match the text as typed.
      if (filter.qEmail) {
        where.push('(instr(name_key, ?) > 0 OR instr(email, ?) > 0)');
        params.push(nameKey(filter.q), filter.q.toLowerCase());
      } else {
        where.push('instr(name_key, ?) > 0');
        params.push(nameKey(filter.q));
      }
    }
    if (page.after) {
      where.push('(name_key, id) > (?, ?)');
      params.push(page.after.key, page.after.id);
    }
    const sql = `SELECT ${COLUMNS} FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY name_key, id LIMIT ?`;
    const rows = this.d.all<UserRow>(sql, ...params, page.limit + 1);
    const more = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(toUser), next: more && last ? { key: last.name_key, id: last.id } : null };
  }

  allUsers(): User[] {
    return this.d.all<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY id`).map(toUser);
  }

  countUsers(filter: { role?: Role; activeOnly?: boolean }): number {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.role !== undefined) {
      where.push('role = ?');
      params.push(filter.role);
    }
    if (filter.activeOnly) where.push('active = 1');
    const sql = `SELECT COUNT(*) AS n FROM users ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    return this.d.get<{ n: number }>(sql, ...params)?.n ?? 0;
  }

  /** Grouped by sqlite; only the distinct teams (tens to hundreds) are sorted here, by nameKey. */
  listTeams(): TeamCount[] {
    return this.d
      .all<TeamCount>('SELECT team AS name, COUNT(*) AS people FROM users WHERE active = 1 GROUP BY team')
      .sort(compareTeams);
  }

  private mustGet(id: string): User {
    const u = this.getUser(id);
    if (!u) throw new Error(`user ${id} vanished during its own write`);
    return u;
  }
}
