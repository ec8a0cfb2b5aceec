import { z } from 'zod';

/** Ids are opaque; accept only what our ids (and reasonable foreign ones) look like. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid id');
export const idParams = z.strictObject({ id: idSchema });

/** Lone surrogates cannot be stored as UTF-8: they would come back as U+FFFD, not as sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const wellFormed = (s: string) => !LONE_SURROGATE.test(s);
/** Something a reader can see: not only spaces, joiners and other format characters. */
export const visible = (s: string) => /[^\p{White_Space}\p{Cf}\p{Z}]/u.test(s);

/**
 * Trimmed, non-empty, visible, no control characters, and no bidi embedding, override or isolate
 * characters: a name with U+202E reverses the text around it ("Mallory thanked Bea" read
 * backwards), which would let anyone fake who thanked whom.
 */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
  .regex(/^[^\u202A-\u202E\u2066-\u2069]*$/u, 'must not contain text-direction control characters')
  .refine(wellFormed, 'must be well-formed Unicode')
  .refine(visible, 'must contain a visible character');
export const teamSchema = nameSchema.max(80);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(256);
/**
 * Any offset in, UTC out. Times are compared as strings (in SQL too), so the UTC form must keep
 * four-digit years: 9999-12-31T23:59:59-23:59 is in the year 10000 in UTC, "+010000-…".
 */
export const isoSchema = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString())
  .pipe(z.string().regex(/^\d{4}-/, 'must fall between the years 0000 and 9999 in UTC'));

export const limitSchema = z.coerce.number().int().min(1).max(100).default(20);
export const cursorSchema = z
  .string()
  .max(512)
  .optional()
  .meta({ description: "The previous page's nextCursor, from this same list and filter: another list's or filter's is 400 invalid_cursor" });
/** A plain list: `limit` and `cursor`, nothing else. */
export const listQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });
