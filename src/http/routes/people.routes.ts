import { z } from 'zod';
import { createUser, getVisibleUser, listUsers, updateMe, updateUser } from '../../domain/people.js';
import { namePosition } from '../../domain/cursor.js';
import { cursorTag } from '../../domain/cursor-tag.js';
import { idParams, listQuery } from '../../domain/schemas/common.schema.js';
import { teamPosition } from '../../domain/teams.js';
import { createUserBody, listUsersQuery, updateMeBody, updateUserBody } from '../../domain/schemas/people.schema.js';
import { importUsers } from '../../domain/user-import.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { inOrderPage } from '../list-page.js';
import { presentUser } from '../presenters.js';
import { importResultView, meUpdateView, pageOf, teamView, userView } from '../response.schema.js';
import { defineRoute, userOf } from '../route.js';

const HR = ['hr', 'admin'] as const;

export function peopleRoutes(ctx: AppContext, r: ApiRouter): void {
  const { deps } = ctx;

  defineRoute(r, { method: 'get', path: '/me', summary: 'The signed-in user', tag: 'people', access: 'user', response: userView }, async ({ principal }) => {
    const me = userOf(principal);
    return presentUser(me, me);
  });

  defineRoute(r, { method: 'patch', path: '/me', summary: 'Change your name or password', tag: 'people', access: 'user', body: updateMeBody, response: meUpdateView, credentials: true }, async ({ principal, body }) => {
    const updated = await updateMe(deps, userOf(principal), body);
    const view = presentUser(updated, updated);
    // A password change ends every session, this one included: hand back a fresh token.
    if (body.password !== undefined) return { ...view, ...ctx.auth.issuer.issue(updated) };
    return view;
  });

  defineRoute(r, { method: 'get', path: '/users', summary: 'People directory', tag: 'people', access: 'user', query: listUsersQuery, response: pageOf(userView, 'People page') }, async ({ principal, query }) => {
    const viewer = userOf(principal);
    const page = await listUsers(deps, viewer, query);
    return { items: page.items.map((u) => presentUser(u, viewer)), nextCursor: page.nextCursor };
  });

  // Grouped by the store: the directory's first pages name only some teams of a large company.
  defineRoute(r, { method: 'get', path: '/teams', summary: "Teams of active people, with how many each has, in the directory's name order", tag: 'people', access: 'user', query: listQuery, response: pageOf(teamView, 'Team page') }, async ({ query }) => {
    const page = inOrderPage(await deps.store.listTeams(), query, cursorTag('teams'), namePosition, teamPosition);
    return { items: page.items.map((t) => ({ name: t.name, people: t.people })), nextCursor: page.nextCursor };
  });

  defineRoute(r, { method: 'post', path: '/users', summary: 'Create a person', tag: 'people', access: HR, body: createUserBody, response: userView, status: 201 }, async ({ principal, body }) => {
    const actor = userOf(principal);
    return presentUser(await createUser(deps, actor, body), actor);
  });

  defineRoute(r, { method: 'post', path: '/users/import', summary: 'Import people from CSV (upsert by email)', tag: 'people', access: HR, rawBody: 'text/csv', body: z.string(), response: importResultView }, async ({ principal, body }) => {
    return importUsers(deps, userOf(principal), body);
  });

  defineRoute(r, { method: 'get', path: '/users/:id', summary: 'One person', tag: 'people', access: 'user', params: idParams, response: userView }, async ({ principal, params }) => {
    const viewer = userOf(principal);
    return presentUser(await getVisibleUser(deps, viewer, params.id), viewer);
  });

  defineRoute(r, { method: 'patch', path: '/users/:id', summary: 'Update or deactivate a person (hr: employees, managers and themselves; admin: anyone; roles: admin only)', tag: 'people', access: HR, params: idParams, body: updateUserBody, response: userView }, async ({ principal, params, body }) => {
    const actor = userOf(principal);
    return presentUser(await updateUser(deps, actor, params.id, body), actor);
  });
}
