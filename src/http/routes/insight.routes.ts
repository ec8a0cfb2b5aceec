import { displayStats, leaderboard, userSummary } from '../../domain/insight.js';
import { idParams } from '../../domain/schemas/common.schema.js';
import { leaderboardQuery } from '../../domain/schemas/kudos.schema.js';
import { viewerOfUser } from '../../domain/visibility.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { presentKudos, presentUser } from '../presenters.js';
import { defineRoute, userOf } from '../route.js';
import { teamDisplayStats } from '../../domain/team-display-stats.js';

const STATS_TTL_MS = 15_000;

export function insightRoutes(ctx: AppContext, r: ApiRouter): void {
  const { deps } = ctx;
  defineRoute(r, { method: 'get', path: '/leaderboard', summary: 'Ranked counts by recipient, giver or team', tag: 'insight', access: 'user', query: leaderboardQuery }, async ({ principal, query }) =>
    leaderboard(deps, viewerOfUser(userOf(principal)), query),
  );

  defineRoute(r, { method: 'get', path: '/users/:id/summary', summary: "A person's recognition summary (self, their manager, hr)", tag: 'insight', access: 'user', params: idParams }, async ({ principal, params }) => {
    const viewer = userOf(principal);
    const s = await userSummary(deps, viewer, viewerOfUser(viewer), params.id);
    return { user: presentUser(s.user, viewer), counts: s.counts, recentReceived: s.recentReceived.map(presentKudos), recentGiven: s.recentGiven.map(presentKudos) };
  });

  // Many TV walls poll this; one computation serves them all for a few seconds, one per team for
  // team walls (the company's under the key null). Teams are few, so the map stays small.
  const cached = new Map<string | null, { at: number; value: Promise<unknown> }>();
  defineRoute(r, { method: 'get', path: '/display/stats', summary: "This month's totals for the TV wall (a team display's: its team's)", tag: 'displays', access: 'display-or-user' }, async ({ principal }) => {
    const team = principal.kind === 'display' ? principal.display.team : null;
    const now = Date.now();
    const hit = cached.get(team);
    if (hit && now - hit.at <= STATS_TTL_MS) return hit.value;
    const value = team === null ? displayStats(deps) : teamDisplayStats(deps, team);
    cached.set(team, { at: now, value });
    value.catch(() => cached.get(team)?.value === value && cached.delete(team));
    return value;
  });
}
