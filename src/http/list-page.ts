import { decodeCursor, encodeCursor, timePosition, type LegacyShape } from '../domain/cursor.js';
import type { Cursor } from '../domain/types.js';

/**
 * A page of a short list read whole and already in its order (teams: hundreds at most), first
 * first, by the (key, id) each item's `position` gives; that order must be ascending by the pair,
 * compared by code units. The cursor holds the last item's position and the list's `tag`, as
 * newestFirstPage's does; `legacy` says which untagged cursors fit the list.
 */
export function inOrderPage<T>(
  sorted: readonly T[], q: { limit: number; cursor?: string | undefined }, tag: string, legacy: LegacyShape, position: (t: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const after = decodeCursor(q.cursor, tag, legacy);
  const isAfter = (p: Cursor, c: Cursor) => (p.key !== c.key ? p.key > c.key : p.id > c.id);
  const found = after ? sorted.findIndex((t) => isAfter(position(t), after)) : 0;
  const start = found < 0 ? sorted.length : found;
  const items = sorted.slice(start, start + q.limit);
  const last = items.at(-1);
  return { items, nextCursor: last && start + items.length < sorted.length ? encodeCursor(position(last), tag) : null };
}

/**
 * A page of a short list read whole (periods, displays: tens of rows), newest first by the
 * (key, id) each item's `position` gives, answered as every list is: `{items, nextCursor}`. The
 * cursor holds the last item's position, so paging goes on even if that item is gone meanwhile,
 * and the list's `tag` (src/domain/cursor-tag.ts), so that another list's cursor is refused.
 */
export function newestFirstPage<T>(
  all: readonly T[], q: { limit: number; cursor?: string | undefined }, tag: string, position: (t: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const newer = (a: Cursor, b: Cursor) => (a.key !== b.key ? a.key > b.key : a.id > b.id);
  const sorted = [...all].sort((a, b) => (newer(position(a), position(b)) ? -1 : 1));
  const after = decodeCursor(q.cursor, tag, timePosition);
  const found = after ? sorted.findIndex((t) => newer(after, position(t))) : 0;
  const start = found < 0 ? sorted.length : found;
  const items = sorted.slice(start, start + q.limit);
  const last = items.at(-1);
  return { items, nextCursor: last && start + items.length < sorted.length ? encodeCursor(position(last), tag) : null };
}
