import { z } from 'zod';
import { postKudosBody, feedQuery, reactionParams, leaderboardQuery } from '../src/domain/schemas/kudos.schema.js';
import { updateUserBody, listUsersQuery } from '../src/domain/schemas/people.schema.js';
for (const s of [postKudosBody, feedQuery, reactionParams, updateUserBody, listUsersQuery, z.string(), z.record(z.string(), z.number()), z.object({a: z.string().nullable().optional()}), z.strictObject({a: z.string()})]) {
  console.log(JSON.stringify(z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })));
}
console.log(JSON.stringify(z.toJSONSchema(z.object({a: z.string().nullable().optional(), r: z.record(z.string(), z.number())}), { io: 'output', unrepresentable: 'any' })));
