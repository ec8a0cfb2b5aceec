import { z } from 'zod';

/** Ids are opaque; accept only what our ids (and reasonable foreign ones) look like. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid id');
export const idParams = z.strictObject({ id: idSchema });

/** Trimmed, non-empty, no control characters except newline/tab where allowed. */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
export const teamSchema = nameSchema.max(80);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(256);
export const isoSchema = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString());

export const limitSchema = z.coerce.number().int().min(1).max(100).default(20);
export const cursorSchema = z.string().max(512).optional();
