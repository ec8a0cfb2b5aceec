import type { FeedFilter } from '../../domain/types.js';

/** SQL conditions on `kudos k` plus their positional parameters, in order. */
export interface Where {
  clauses: string[];
  params: unknown[];
}

/**
 * The feed's WHERE clause: never removed kudos, private ones only for viewers allowed to see
 * them, then every filter AND-ed. Filters on recipients/teams/behaviours use `IN (subquery)`
 * against their own indexes so the outer scan keeps the (created_at, id) order.
 */
export function feedWhere(filter: FeedFilter): Where {
  const clauses = ['k.removed_at IS NULL'];
  const params: unknown[] = [];
  const { viewer } = filter;
  if (viewer.privateAccess === 'own' && viewer.userId !== null) {
    clauses.push(`(k.visibility = 'public' OR k.giver_id = ?
      OR k.id IN (SELECT kudos_id FROM kudos_recipients WHERE user_id = ?))`);
    params.push(viewer.userId, viewer.userId);
  } else if (viewer.privateAccess !== 'all') {
    clauses.push(`k.visibility = 'public'`);
  }
  if (filter.recipientId !== undefined) {
    clauses.push('k.id IN (SELECT kudos_id FROM kudos_recipients WHERE user_id = ?)');
    params.push(filter.recipientId);
  }
  if (filter.giverId !== undefined) {
    clauses.push('k.giver_id = ?');
    params.push(filter.giverId);
  }
  if (filter.team !== undefined) {
    clauses.push('k.id IN (SELECT kudos_id FROM kudos_teams WHERE team = ?)');
    params.push(filter.team);
  }
  if (filter.behaviourKey !== undefined) {
    clauses.push('k.id IN (SELECT kudos_id FROM kudos_behaviours WHERE behaviour_key = ?)');
    params.push(filter.behaviourKey);
  }
  if (filter.since !== undefined) {
    clauses.push('k.created_at >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    clauses.push('k.created_at < ?');
    params.push(filter.until);
  }
  return { clauses, params };
}
