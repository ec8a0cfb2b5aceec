/**
 * Which list (and which filter of it) a cursor was issued for. A cursor holds a position in one
 * ordering; sent to another list it would position that list by meaningless values, so each
 * cursor carries this tag and is refused elsewhere (src/domain/cursor.ts).
 *
 * Plain code with no Node APIs: the feed page mints a cursor itself after dropping its oldest
 * cards (src/web/lib/kudos-list.ts), and must tag it exactly as the server does.
 */
export type CursorList = 'kudos' | 'comments' | 'users' | 'teams' | 'periods' | 'displays' | 'audit' | 'scores';

/** A filter value as the list applied it; absent and empty are the same filter, and so are spaces around it (the API trims them). */
export type FilterValue = string | boolean | null | undefined;

/**
 * `list`, or `list.<hash>` when the list is narrowed: the hash keeps a cursor short whatever the
 * filter holds (a team of 80 characters, two ids, two times). It is no secret and needs none:
 * a forged cursor only pages a list its sender may read anyway.
 */
export function cursorTag(list: CursorList, filter: readonly FilterValue[] = []): string {
  const values = filter.map((v) => (typeof v === 'string' ? v.trim() || null : (v ?? null)));
  return values.every((v) => v === null) ? list : `${list}.${fnv1a(JSON.stringify(values))}`;
}

/** The feed's tag: the filter in the order the feed query names it, times in UTC. */
export function feedTag(f: { recipient?: FilterValue; giver?: FilterValue; team?: FilterValue; behaviour?: FilterValue; since?: FilterValue; until?: FilterValue }): string {
  return cursorTag('kudos', [f.recipient, f.giver, f.team, f.behaviour, f.since, f.until]);
}

/** FNV-1a, 32 bits over UTF-16 code units, as 8 hex digits: the same in Node and every browser. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
