import { z } from 'zod';
import { ROLES, VISIBILITIES } from '../domain/types.js';

/**
 * Response shapes, for the OpenAPI document only: the presenters in presenters.ts are what the
 * server sends. Strict objects, so the documentation test notices a field the docs do not name.
 */

const iso = z.iso.datetime();
const count = z.number().int().min(0);

export const personRefView = z.strictObject({ id: z.string(), name: z.string(), team: z.string() });

export const kudosView = z
  .strictObject({
    id: z.string(),
    giver: personRefView,
    recipients: z.array(personRefView),
    behaviours: z.array(z.strictObject({ key: z.string(), name: z.string() })),
    message: z.string(),
    visibility: z.enum(VISIBILITIES),
    createdAt: iso,
    reactions: z.record(z.string(), count),
    myReactions: z.array(z.string()),
    commentCount: count,
  })
  .meta({ title: 'Kudos' });

/** Email, role and the other admin fields appear only for the person themself and hr/admin. */
export const userView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    team: z.string(),
    initials: z.string(),
    active: z.boolean(),
    email: z.string().optional(),
    role: z.enum(ROLES).optional(),
    managerId: z.string().nullable().optional(),
    createdAt: iso.optional(),
    updatedAt: iso.optional(),
  })
  .meta({ title: 'User' });

/** PATCH /me: a password change also hands back a fresh token, as every old one died. */
export const meUpdateView = userView.extend({ token: z.string().optional(), expiresAt: iso.optional() }).meta({ title: 'User (and new token)' });

export const loginView = z.strictObject({ token: z.string(), expiresAt: iso, user: userView }).meta({ title: 'Session' });

export const behaviourView = z
  .strictObject({ key: z.string(), group: z.string(), name: z.string(), description: z.string(), weight: z.number(), active: z.boolean() })
  .meta({ title: 'Behaviour' });

export const commentView = z
  .strictObject({ id: z.string(), kudosId: z.string(), author: personRefView, message: z.string(), createdAt: iso })
  .meta({ title: 'Comment' });

export const importResultView = z
  .strictObject({ created: count, updated: count, errors: z.array(z.strictObject({ line: z.number().int(), message: z.string() })) })
  .meta({ title: 'Import result' });

export const periodView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    startsAt: iso,
    endsAt: iso,
    status: z.enum(['open', 'closed']),
    createdAt: iso,
    closedAt: iso.nullable(),
    closedBy: z.string().nullable(),
  })
  .meta({ title: 'Period' });

const scoreLineFacts = {
  createdAt: iso,
  behaviours: z.array(z.string()),
  base: z.number(),
  adjustments: z.array(z.strictObject({ rule: z.enum(['group_split', 'repeat_pair', 'reciprocal']), factor: z.number() })),
  points: z.number(),
};

/**
 * `giverName` is the name at close for a closed period (frozen with it) and today's name for an
 * open one, inactive givers included; null only when Shine no longer knows the id. Clients fall
 * back to the directory then.
 */
const scoreLineView = z
  .strictObject({ kudosId: z.string(), giverId: z.string(), giverName: z.string().nullable(), ...scoreLineFacts })
  .meta({ title: 'Score line' });

/** What a manager sees of a private kudos between other people: its points, not who or which. */
const hiddenScoreLineView = z
  .strictObject({ kudosId: z.null(), giverId: z.null(), giverName: z.null(), private: z.literal(true), ...scoreLineFacts })
  .meta({ title: 'Score line (private, giver not shown)' });

export const periodScoresView = z
  .strictObject({
    period: periodView,
    /** True when read from the close snapshot. */
    frozen: z.boolean(),
    items: z.array(
      z.strictObject({
        user: personRefView,
        score: z.number(),
        tier: z.string().nullable(),
        eligible: z.boolean(),
        distinctGivers: count,
        kudosReceived: count,
        flags: z.array(z.enum(['reciprocal', 'few_givers'])),
        breakdown: z.array(z.union([scoreLineView, hiddenScoreLineView])),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({ title: 'Period scores' });

export const displayView = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    team: z.string().nullable(),
    createdAt: iso,
    lastSeenAt: iso.nullable(),
    revokedAt: iso.nullable(),
    /** Whether the screen holds a live connection to some process right now. */
    connected: z.boolean(),
    /** A team display: whether anyone active is in its team (a renamed or emptied team shows nothing); null otherwise. */
    teamHasPeople: z.boolean().nullable(),
  })
  .meta({ title: 'Display' });

/** POST /displays: the token is in this answer only, never stored or shown again. */
export const createdDisplayView = displayView.extend({ token: z.string() }).meta({ title: 'Display (and its token, shown once)' });

export const auditEntryView = z
  .strictObject({
    id: z.string(),
    at: iso,
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ title: 'Audit entry' });

/** The list envelope: newest first unless stated; nextCursor null on the last page. */
export const teamView = z
  .strictObject({
    /** Exactly as its people's records spell it: the value `GET /kudos?team=` and a display's team match. */
    name: z.string(),
    /** Active people in the team. */
    people: z.number().int().min(1),
  })
  .meta({ title: 'Team' });

export const pageOf = <T extends z.ZodType>(item: T, title: string) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ title });

export const errorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().regex(/^[a-z0-9_]+$/),
      message: z.string(),
      details: z.array(z.strictObject({ path: z.string(), message: z.string() })),
      requestId: z.string().optional(),
    }),
  })
  .meta({ title: 'Error' });
