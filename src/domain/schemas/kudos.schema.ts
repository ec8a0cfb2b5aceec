import { z } from 'zod';
import { behaviourKeySchema } from './behaviours.schema.js';
import { cursorSchema, idSchema, isoSchema, limitSchema, teamSchema, visible, wellFormed } from './common.schema.js';

/** Trimmed length in user-perceived characters would be kinder, but code points are what we store. */
const message = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`))
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters')
    .refine(wellFormed, 'must be well-formed Unicode')
    .refine(visible, 'must contain a visible character');

export const postKudosBody = z.strictObject({
  recipientIds: z
    .array(idSchema)
    .min(1, 'name at least one recipient')
    .max(20, 'at most 20 recipients')
    .refine((a) => new Set(a).size === a.length, 'recipients must be distinct'),
  behaviourKeys: z
    .array(behaviourKeySchema)
    .min(1, 'name at least one behaviour')
    .max(5, 'at most 5 behaviours')
    .refine((a) => new Set(a).size === a.length, 'behaviours must be distinct'),
  message: message(1000),
  visibility: z.enum(['public', 'private']).default('public'),
});
export type PostKudosInput = z.infer<typeof postKudosBody>;

export const feedQuery = z.strictObject({
  recipient: idSchema.optional(),
  giver: idSchema.optional(),
  team: teamSchema.optional(),
  behaviour: behaviourKeySchema.optional(),
  since: isoSchema.optional(),
  until: isoSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type FeedQuery = z.infer<typeof feedQuery>;

// A moderation reason is kept in the audit log and shown to hr: the same rules as a kudos message.
export const removeKudosBody = z.strictObject({ reason: message(500).optional() });

const FIXED_EMOJI = ['👏', '🎉', '❤️', '🙌', '🔥', '⭐', '💯', '😊', '🚀', '👍'];
// Unicode's list of recommended emoji (skin tones, flags, keycaps and ZWJ sequences included).
// A looser "one grapheme that starts with a pictograph" let a reaction carry any number of
// combining marks, so one user could add reactions without end. Built at run time: the `v` flag
// is newer than the compiler's target, not than Node 20.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** One of the fixed set, or any single emoji Unicode recommends. */
export function isEmoji(s: string): boolean {
  return FIXED_EMOJI.includes(s) || (s.length <= 32 && RGI_EMOJI.test(s));
}
export const emojiSchema = z.string().refine(isEmoji, 'must be a single emoji');
export const reactionBody = z.strictObject({ emoji: emojiSchema });
export const reactionParams = z.strictObject({ id: idSchema, emoji: emojiSchema });

export const commentBody = z.strictObject({ message: message(500) });

export const leaderboardQuery = z.strictObject({
  period: idSchema.optional(),
  from: isoSchema.optional(),
  to: isoSchema.optional(),
  by: z.enum(['recipient', 'giver', 'team']).default('recipient'),
  behaviour: behaviourKeySchema.optional(),
  limit: limitSchema,
});
