import { z } from 'zod';
import { decodeCursor, encodeCursor, timePosition } from '../../domain/cursor.js';
import { cursorTag } from '../../domain/cursor-tag.js';
import { createDisplay, revokeDisplay, teamHasPeople, updateDisplay } from '../../domain/displays.js';
import { idParams, listQuery, nameSchema, teamSchema } from '../../domain/schemas/common.schema.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { newestFirstPage } from '../list-page.js';
import { presentAudit, presentDisplay } from '../presenters.js';
import { auditEntryView, createdDisplayView, displayView, pageOf } from '../response.schema.js';
import { defineRoute, userOf } from '../route.js';

const createDisplayBody = z.strictObject({ name: nameSchema, team: teamSchema.nullable().optional() });
const updateDisplayBody = z.strictObject({ name: nameSchema.optional(), team: teamSchema.nullable().optional() });

export function adminRoutes(ctx: AppContext, r: ApiRouter): void {
  const { deps } = ctx;
  defineRoute(r, { method: 'post', path: '/displays', summary: 'Create a TV display credential (token shown once)', tag: 'displays', access: ['admin'], body: createDisplayBody, response: createdDisplayView, status: 201, credentials: true }, async ({ principal, body }) => {
    const { display, token } = await createDisplay(deps, userOf(principal), body);
    return { ...presentDisplay(display, false), token };
  });

  defineRoute(r, { method: 'get', path: '/displays', summary: 'TV displays with last-seen and connection state, newest first', tag: 'displays', access: ['admin'], query: listQuery, response: pageOf(displayView, 'Display page') }, async ({ query }) => {
    const [displays, connected] = await Promise.all([deps.store.listDisplays(), ctx.liveInfo.connectedDisplayIds()]);
    const page = newestFirstPage(displays, query, cursorTag('displays'), (d) => ({ key: d.createdAt, id: d.id }));
    const people = await Promise.all(page.items.map((d) => (d.team && !d.revokedAt ? teamHasPeople(deps, d.team) : null)));
    return { items: page.items.map((d, i) => presentDisplay(d, connected.has(d.id), people[i] ?? null)), nextCursor: page.nextCursor };
  });

  defineRoute(r, { method: 'patch', path: '/displays/:id', summary: 'Rename a display or re-point it at another team (its token keeps working; a connected wall reconnects into the new team)', tag: 'displays', access: ['admin'], params: idParams, body: updateDisplayBody, response: displayView }, async ({ principal, params, body }) => {
    const d = await updateDisplay(deps, userOf(principal), params.id, body);
    const [connected, people] = await Promise.all([ctx.liveInfo.connectedDisplayIds(), d.team ? teamHasPeople(deps, d.team) : null]);
    return presentDisplay(d, connected.has(d.id), people);
  });

  defineRoute(r, { method: 'delete', path: '/displays/:id', summary: 'Revoke a display and disconnect it', tag: 'displays', access: ['admin'], params: idParams }, async ({ principal, params }) => {
    await revokeDisplay(deps, userOf(principal), params.id);
    return undefined;
  });

  defineRoute(r, { method: 'get', path: '/audit', summary: 'Audit log, newest first', tag: 'audit', access: ['hr', 'admin'], query: listQuery, response: pageOf(auditEntryView, 'Audit page') }, async ({ query }) => {
    const tag = cursorTag('audit');
    const page = await deps.store.auditPage({ limit: query.limit, after: decodeCursor(query.cursor, tag, timePosition) });
    return { items: page.items.map(presentAudit), nextCursor: encodeCursor(page.next, tag) };
  });
}
