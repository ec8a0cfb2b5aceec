import { displayStats, leaderboard, userSummary } from '../../domain/insight.js';
import { idParams } from '../../domain/schemas/common.schema.js';
import { leaderboardQuery } from '../../domain/schemas/kudos.schema.js';
import { viewerOfUser } from '../../domain/visibility.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { presentKudos, presentUser } from '../presenters.js';
import { defineRoute, userOf } from '../route.js';

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

  // Many TV walls poll this; one computation serves them all for a few seconds.
  let cached: { at: number; value: Promise<unknown> } | null = null;
  defineRoute(r, { method: 'get', path: '/display/stats', summary: "This month's totals for the TV wall", tag: 'displays', access: 'display-or-user' }, async () => {
    const now = Date.now();
    if (!cached || now - cached.at > STATS_TTL_MS) {
      cached = { at: now, value: displayStats(deps) };
      cached.value.catch(() => { cached = null; });
    }
    return cached.value;
  });
}
