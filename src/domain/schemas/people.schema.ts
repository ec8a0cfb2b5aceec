import { z } from 'zod';
import { ROLES } from '../types.js';
import { cursorSchema, emailSchema, idSchema, limitSchema, nameSchema, passwordSchema, teamSchema } from './common.schema.js';

export const roleSchema = z.enum(ROLES);

export const loginBody = z.strictObject({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(256),
});

export const createUserBody = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  team: teamSchema,
  role: roleSchema.optional(),
  managerId: idSchema.nullable().optional(),
  password: passwordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .strictObject({
    name: nameSchema,
    email: emailSchema,
    team: teamSchema,
    role: roleSchema,
    managerId: idSchema.nullable(),
    active: z.boolean(),
    password: passwordSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UpdateUserInput = z.infer<typeof updateUserBody>;

export const updateMeBody = z
  .strictObject({
    name: nameSchema,
    password: passwordSchema,
    currentPassword: z.string().max(256),
  })
  .partial()
  .refine((v) => v.name !== undefined || v.password !== undefined, 'nothing to update')
  .refine((v) => v.password === undefined || v.currentPassword !== undefined, {
    message: 'currentPassword is required to change the password',
    path: ['currentPassword'],
  });
export type UpdateMeInput = z.infer<typeof updateMeBody>;

export const listUsersQuery = z.strictObject({
  q: z.string().trim().max(120).optional(),
  team: teamSchema.optional(),
  includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});

/** One CSV import row, after header mapping. */
export const importRowSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
  team: teamSchema,
  manager_email: z.union([z.literal(''), emailSchema]).optional(),
  role: z.union([z.literal(''), roleSchema]).optional(),
});
