import type { Cursor, FeedFilter, Viewer } from '../../domain/types.js';
import { KUDOS_COLUMNS } from './sqlite-kudos-records.js';

/** A child table whose (key, created_at, kudos_id) primary key walks one filter's kudos in feed order. */
interface Driver {
  table: string;
  column: string;
  value: string;
}

/**
 * Whether kudos `k` has a child row with this value: one lookup of a child table's whole primary
 * key, (value, created_at, kudos_id), the order the child tables are kept in (migration 8).
 */
export const childProbe = (table: string, column: string, kudos: KudosKey) =>
  `EXISTS (SELECT 1 FROM ${table} child WHERE child.${column} = ? AND child.created_at = ${kudos.at} AND child.kudos_id = ${kudos.id})`;

/** SQL expressions for a kudos's created_at and id in the query around a probe. */
export interface KudosKey {
  at: string;
  id: string;
}

/** The key of kudos row alias `k`. */
export const kudosKey = (k: string): KudosKey => ({ at: `${k}.created_at`, id: `${k}.id` });

const RECIPIENT_PROBE = childProbe('kudos_recipients', 'user_id', kudosKey('k'));
const TEAM_PROBE = childProbe('kudos_teams', 'team', kudosKey('k'));
const BEHAVIOUR_PROBE = childProbe('kudos_behaviours', 'behaviour_key', kudosKey('k'));

/**
 * The condition on kudos `k` (an alias) that keeps what `viewer` may see, private kudos included
 * only as visibility.ts's canSee allows; null when the viewer sees everything. Removal is not
 * part of it. Shared by the feed and by every count shown beside it, so they cannot disagree.
 */
export function visibleToViewer(viewer: Viewer, k = 'k'): { sql: string; params: unknown[] } | null {
  if (viewer.privateAccess === 'all') return null;
  if (viewer.privateAccess === 'own' && viewer.userId !== null) {
    const probe = childProbe('kudos_recipients', 'user_id', kudosKey(k));
    return { sql: `(${k}.visibility = 'public' OR ${k}.giver_id = ? OR ${probe})`, params: [viewer.userId, viewer.userId] };
  }
  return { sql: `${k}.visibility = 'public'`, params: [] };
}

/** The most selective indexed filter present: a person's kudos are few, a team's or behaviour's many. */
function pickDriver(f: FeedFilter): Driver | null {
  if (f.recipientId !== undefined) return { table: 'kudos_recipients', column: 'user_id', value: f.recipientId };
  if (f.giverId !== undefined) return null; // kudos_by_giver already serves it
  if (f.team !== undefined) return { table: 'kudos_teams', column: 'team', value: f.team };
  if (f.behaviourKey !== undefined) return { table: 'kudos_behaviours', column: 'behaviour_key', value: f.behaviourKey };
  return null;
}

/**
 * The feed query in either direction. One filter (the driver) walks its own index in
 * (created_at, kudos_id) order, so LIMIT stops the scan early; every other filter is an
 * EXISTS probe on a primary key, never an IN-list built from the whole table. CROSS JOIN pins
 * the driver as the outer loop. Removed kudos and private ones the viewer may not see are
 * always excluded.
 */
export function feedQuery(
  filter: FeedFilter,
  direction: 'newest' | 'oldest',
  after: Cursor | null | undefined,
  limit: number,
): { sql: string; params: unknown[] } {
  const driver = pickDriver(filter);
  const time = driver ? 'x.created_at' : 'k.created_at';
  const id = driver ? 'x.kudos_id' : 'k.id';
  const clauses: string[] = [];
  const params: unknown[] = [];
  const where = (clause: string, ...values: unknown[]) => {
    clauses.push(clause);
    params.push(...values);
  };

  if (driver) where(`x.${driver.column} = ?`, driver.value);
  if (after) where(`(${time}, ${id}) ${direction === 'newest' ? '<' : '>'} (?, ?)`, after.key, after.id);
  if (filter.since !== undefined) where(`${time} >= ?`, filter.since);
  if (filter.until !== undefined) where(`${time} < ?`, filter.until);
  where('k.removed_at IS NULL');
  const visible = visibleToViewer(filter.viewer);
  if (visible) where(visible.sql, ...visible.params);
  if (filter.recipientId !== undefined && driver?.table !== 'kudos_recipients') where(RECIPIENT_PROBE, filter.recipientId);
  if (filter.giverId !== undefined) where('k.giver_id = ?', filter.giverId);
  if (filter.team !== undefined && driver?.table !== 'kudos_teams') where(TEAM_PROBE, filter.team);
  if (filter.behaviourKey !== undefined && driver?.table !== 'kudos_behaviours') where(BEHAVIOUR_PROBE, filter.behaviourKey);

  const from = driver ? `${driver.table} x CROSS JOIN kudos k ON k.id = x.kudos_id` : 'kudos k';
  const dir = direction === 'newest' ? 'DESC' : 'ASC';
  const sql = `SELECT ${KUDOS_COLUMNS} FROM ${from} WHERE ${clauses.join(' AND ')}
    ORDER BY ${time} ${dir}, ${id} ${dir} LIMIT ?`;
  return { sql, params: [...params, limit] };
}
