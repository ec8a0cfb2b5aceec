import { ValidationError } from './errors.js';
import type { Cursor } from './types.js';

/** Opaque to clients: base64url of [key, id]. */
export function encodeCursor(c: Cursor | null): string | null {
  return c ? Buffer.from(JSON.stringify([c.key, c.id]), 'utf8').toString('base64url') : null;
}

export function decodeCursor(s: string | undefined): Cursor | null {
  if (s === undefined || s === '') return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') {
      return { key: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'not a cursor from this API' }], 'invalid_cursor');
}
