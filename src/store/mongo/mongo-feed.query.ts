import type { QueryFilter } from 'mongoose';
import type { Cursor, FeedFilter } from '../../domain/types.js';
import type { KudosDoc } from './mongo-documents.js';

type KudosFilter = QueryFilter<KudosDoc>;

/**
 * The feed's conditions, AND-ed: never removed kudos, private ones only for viewers allowed to
 * see them, then every filter. Mirrors sqlite-feed.query.ts so both adapters show the same kudos.
 */
export function feedConditions(filter: FeedFilter): KudosFilter[] {
  const and: KudosFilter[] = [{ removedAt: null }];
  const { viewer } = filter;
  if (viewer.privateAccess === 'own' && viewer.userId !== null) {
    and.push({
      $or: [{ visibility: 'public' }, { giverId: viewer.userId }, { 'recipients.userId': viewer.userId }],
    });
  } else if (viewer.privateAccess !== 'all') {
    and.push({ visibility: 'public' });
  }
  if (filter.recipientId !== undefined) and.push({ 'recipients.userId': filter.recipientId });
  if (filter.giverId !== undefined) and.push({ giverId: filter.giverId });
  if (filter.team !== undefined) and.push({ teams: filter.team });
  if (filter.behaviourKey !== undefined) and.push({ behaviourKeys: filter.behaviourKey });
  if (filter.since !== undefined) and.push({ createdAt: { $gte: filter.since } });
  if (filter.until !== undefined) and.push({ createdAt: { $lt: filter.until } });
  return and;
}

/** Keyset condition: strictly before (older) or strictly after (newer) `c` by (createdAt, _id). */
export function keysetCondition(c: Cursor, direction: 'before' | 'after'): KudosFilter {
  const op = direction === 'before' ? '$lt' : '$gt';
  return { $or: [{ createdAt: { [op]: c.key } }, { createdAt: c.key, _id: { [op]: c.id } }] };
}
