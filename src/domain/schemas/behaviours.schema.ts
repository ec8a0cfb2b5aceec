import { z } from 'zod';

export const behaviourKeySchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by hyphens').max(60);
const weight = z.number().min(0).max(5);
const text = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const createBehaviourBody = z.strictObject({
  key: behaviourKeySchema,
  group: text(80),
  name: text(80),
  description: text(300),
  weight: weight.default(1),
  active: z.boolean().default(true),
});

export const updateBehaviourBody = z
  .strictObject({ group: text(80), name: text(80), description: text(300), weight, active: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');

export const behaviourParams = z.strictObject({ key: behaviourKeySchema });
