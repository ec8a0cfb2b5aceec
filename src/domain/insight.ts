import { isoAt, type Deps } from './deps.js';
import { NotFoundError, ValidationError } from './errors.js';
import type { LeaderboardBy, User, Viewer } from './types.js';

export function monthRange(nowMs: number): { from: string; to: string } {
  const d = new Date(nowMs);
  return {
    from: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString(),
    to: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString(),
  };
}

/** period=<id>, or from/to, or by default the period running now, else this calendar month. */
export async function resolveRange(deps: Deps, q: { period?: string; from?: string; to?: string }): Promise<{ from: string; to: string; periodId: string | null }> {
  if (q.period) {
    if (q.from || q.to) throw new ValidationError('Use either period or from/to, not both.', [{ path: 'period', message: 'conflicts with from/to' }]);
    const p = await deps.store.getPeriod(q.period);
    if (!p) throw new NotFoundError('period');
    return { from: p.startsAt, to: p.endsAt, periodId: p.id };
  }
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new ValidationError('Give both from and to.', [{ path: q.from ? 'to' : 'from', message: 'required' }]);
    if (q.from >= q.to) throw new ValidationError('from must be before to.', [{ path: 'to', message: 'must be after from' }]);
    return { from: q.from, to: q.to, periodId: null };
  }
  const nowMs = deps.clock.now();
  const [current] = await deps.store.overlappingPeriods(isoAt(nowMs), isoAt(nowMs + 1));
  if (current) return { from: current.startsAt, to: current.endsAt, periodId: current.id };
  return { ...monthRange(nowMs), periodId: null };
}

/**
 * Ranked counts. A viewer who may not see every private kudos counts public ones only: with a
 * window as narrow as a millisecond, counts would otherwise tell who thanked whom in private.
 */
export async function leaderboard(deps: Deps, viewer: Viewer, q: { period?: string; from?: string; to?: string; by: LeaderboardBy; behaviour?: string; limit: number }) {
  const range = await resolveRange(deps, q);
  const publicOnly = viewer.privateAccess !== 'all';
  const rows = await deps.store.leaderboard({ from: range.from, to: range.to, by: q.by, behaviourKey: q.behaviour, publicOnly, limit: q.limit });
  let rank = 0;
  let prev: number | null = null;
  const items = rows.map((r, i) => {
    if (r.count !== prev) rank = i + 1;
    prev = r.count;
    return { rank, id: r.id, name: r.name, team: r.team, count: r.count };
  });
  return { from: range.from, to: range.to, periodId: range.periodId, by: q.by, behaviour: q.behaviour ?? null, items };
}

/**
 * Self, their manager, hr and admin may read a person's summary; others get 404. "Their manager"
 * holds the manager role, as for scores (periods.ts scoreScopeFor): a manager turned employee
 * keeps being someone's managerId until hr reassigns the reports, but no longer sees their data.
 */
export function maySeeSummary(viewer: User, target: User): boolean {
  if (viewer.id === target.id || viewer.role === 'hr' || viewer.role === 'admin') return true;
  return viewer.role === 'manager' && target.managerId === viewer.id;
}

export async function userSummary(deps: Deps, viewer: User, viewerScope: Viewer, id: string) {
  const target = await deps.store.getUser(id);
  if (!target || !maySeeSummary(viewer, target)) throw new NotFoundError('user');
  const counts = await deps.store.userCounts(id, viewerScope);
  const received = await deps.store.feedPage({ viewer: viewerScope, recipientId: id }, { limit: 10 });
  const given = await deps.store.feedPage({ viewer: viewerScope, giverId: id }, { limit: 10 });
  return { user: target, counts, recentReceived: received.items, recentGiven: given.items };
}

/**
 * The TV wall's strip: this month's totals and top behaviours / people. Public kudos only, the
 * total included: private kudos never reach a TV wall, and every display and user reads this.
 */
export async function displayStats(deps: Deps) {
  const { from, to } = monthRange(deps.clock.now());
  const [topBehaviours, topRecipients, teams, givers] = await Promise.all([
    behaviourTotals(deps, from, to),
    deps.store.leaderboard({ from, to, by: 'recipient', publicOnly: true, limit: 5 }),
    deps.store.leaderboard({ from, to, by: 'team', publicOnly: true, limit: 100 }),
    deps.store.givenCounts(from, to, { publicOnly: true }),
  ]);
  let kudosCount = 0;
  for (const n of givers.values()) kudosCount += n;
  return {
    /** Whose month this is: null for the whole company (team-display-stats.ts answers a team). */
    team: null,
    from,
    to,
    kudosCount,
    topBehaviours,
    topRecipients: topRecipients.map((r) => ({ id: r.id, name: r.name, team: r.team, count: r.count })),
    teams: teams.map((t) => ({ team: t.id, count: t.count })),
  };
}

async function behaviourTotals(deps: Deps, from: string, to: string) {
  const behaviours = (await deps.store.listBehaviours()).filter((b) => b.active);
  const counts = await Promise.all(
    behaviours.map(async (b) => {
      const rows = await deps.store.leaderboard({ from, to, by: 'giver', behaviourKey: b.key, publicOnly: true, limit: 100_000 });
      return { key: b.key, name: b.name, count: rows.reduce((s, r) => s + r.count, 0) };
    }),
  );
  return counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)).slice(0, 5);
}
