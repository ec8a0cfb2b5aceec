import { ValidationError } from './errors.js';
import type { Cursor } from './types.js';

/**
 * Opaque to clients: base64url of [key, id, tag], the tag naming the list and filter the cursor
 * was issued for (src/domain/cursor-tag.ts). Cursors issued before tags existed are [key, id].
 */
export function encodeCursor(c: Cursor | null, tag: string): string | null {
  return c ? Buffer.from(JSON.stringify([c.key, c.id, tag]), 'utf8').toString('base64url') : null;
}

/**
 * What an untagged cursor (issued before tags existed) must look like to be taken by a list: a
 * position of that list's kind. It keeps a client that was paging across the upgrade going, and
 * still refuses, say, a directory cursor (a name) sent to the feed (ordered by time).
 */
export type LegacyShape = (c: Cursor) => boolean;

const ISO_TIME = /^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
/** Lists newest (or oldest) first by a creation or start time. */
export const timePosition: LegacyShape = (c) => ISO_TIME.test(c.key);
/** The directory, in name order: a folded name, neither a time nor a scores position. */
export const namePosition: LegacyShape = (c) => !ISO_TIME.test(c.key) && !c.key.startsWith('[');

const refused = (message: string) => new ValidationError('The cursor is not valid.', [{ path: 'cursor', message }], 'invalid_cursor');

export function decodeCursor(s: string | undefined, tag: string, legacy: LegacyShape): Cursor | null {
  if (s === undefined || s === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw refused('not a cursor from this API');
  }
  if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3) || !v.every((x) => typeof x === 'string')) throw refused('not a cursor from this API');
  const c: Cursor = { key: v[0] as string, id: v[1] as string };
  if (v.length === 3 ? v[2] !== tag : !legacy(c)) throw refused('a cursor of another list or filter: start again from the first page');
  return c;
}
