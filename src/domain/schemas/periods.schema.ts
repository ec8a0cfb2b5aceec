import { z } from 'zod';
import { isoSchema, nameSchema } from './common.schema.js';

/** POST /periods. The end is exclusive; the range rule (end after start) is checked in the use case (422). */
export const newPeriodSchema = z.strictObject({
  name: nameSchema.max(80),
  startsAt: isoSchema,
  endsAt: isoSchema,
});

export type NewPeriodInput = z.infer<typeof newPeriodSchema>;
