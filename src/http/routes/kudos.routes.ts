import type { Request } from 'express';
import { ValidationError } from '../../domain/errors.js';
import { addComment, feed, getVisibleKudos, listComments, postKudos, react, removeKudos } from '../../domain/kudos.js';
import { idParams, listQuery } from '../../domain/schemas/common.schema.js';
import { commentBody, feedQuery, postKudosBody, reactionBody, reactionParams, removeKudosBody } from '../../domain/schemas/kudos.schema.js';
import { viewerOfDisplay, viewerOfUser } from '../../domain/visibility.js';
import type { Principal } from '../principal.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { presentComment, presentKudos } from '../presenters.js';
import { commentView, kudosView, pageOf } from '../response.schema.js';
import { JsonMemo } from '../raw-json.js';
import { defineRoute, userOf } from '../route.js';
import type { KudosRecord } from '../../domain/types.js';

const viewerOf = (p: Principal) => (p.kind === 'user' ? viewerOfUser(p.user) : viewerOfDisplay(p.display));

export function idempotencyKeyOf(req: Request): string | null {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return null;
  if (!/^[\x21-\x7E]{1,200}$/.test(key)) {
    throw new ValidationError('Idempotency-Key must be 1-200 visible ASCII characters.', [{ path: 'Idempotency-Key', message: 'invalid' }], 'invalid_idempotency_key');
  }
  return key;
}

export function kudosRoutes(ctx: AppContext, r: ApiRouter): void {
  const { deps } = ctx;
  // Counted from the giver's own kudos inside the write: no counter row to commit per POST.
  const rateLimit = { max: ctx.config.kudosRateLimit.perUser, windowMs: ctx.config.kudosRateLimit.windowSeconds * 1000 };

  defineRoute(r, { method: 'post', path: '/kudos', summary: 'Give kudos', tag: 'kudos', access: 'user', body: postKudosBody, response: kudosView, status: 201, keyInWrite: true }, async ({ principal, body, req, res }) => {
    const { kudos, replayed } = await postKudos(deps, userOf(principal), body, idempotencyKeyOf(req), rateLimit);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return presentKudos(kudos);
  });

  const feedJson = new JsonMemo<readonly KudosRecord[]>();
  defineRoute(r, { method: 'get', path: '/kudos', summary: 'The feed, newest first', tag: 'kudos', access: 'display-or-user', query: feedQuery, response: pageOf(kudosView, 'Kudos page') }, async ({ principal, query }) => {
    const forcedTeam = principal.kind === 'display' ? principal.display.team : null;
    const page = await feed(deps, viewerOf(principal), query, forcedTeam);
    // The cursor comes from the same store page as the items, so the items identify the body.
    return feedJson.get(page.items, () => ({ items: page.items.map(presentKudos), nextCursor: page.nextCursor }));
  });

  defineRoute(r, { method: 'get', path: '/kudos/:id', summary: 'One kudos', tag: 'kudos', access: 'user', params: idParams, response: kudosView }, async ({ principal, params }) =>
    presentKudos(await getVisibleKudos(deps, viewerOf(principal), params.id)),
  );

  defineRoute(r, { method: 'delete', path: '/kudos/:id', summary: 'Remove a kudos (giver within 15 min, or hr/admin with a reason)', tag: 'kudos', access: 'user', params: idParams, body: removeKudosBody }, async ({ principal, params, body }) => {
    await removeKudos(deps, userOf(principal), params.id, body.reason);
    return undefined;
  });

  defineRoute(r, { method: 'post', path: '/kudos/:id/reactions', summary: 'React with an emoji', tag: 'kudos', access: 'user', params: idParams, body: reactionBody, response: kudosView, status: 201 }, async ({ principal, params, body }) =>
    presentKudos(await react(deps, userOf(principal), params.id, body.emoji, true)),
  );

  defineRoute(r, { method: 'delete', path: '/kudos/:id/reactions/:emoji', summary: 'Take back a reaction', tag: 'kudos', access: 'user', params: reactionParams, response: kudosView }, async ({ principal, params }) =>
    presentKudos(await react(deps, userOf(principal), params.id, params.emoji, false)),
  );

  defineRoute(r, { method: 'post', path: '/kudos/:id/comments', summary: 'Comment on a kudos', tag: 'kudos', access: 'user', params: idParams, body: commentBody, response: commentView, status: 201 }, async ({ principal, params, body }) =>
    presentComment(await addComment(deps, userOf(principal), params.id, body.message)),
  );

  defineRoute(r, { method: 'get', path: '/kudos/:id/comments', summary: 'Comments, oldest first', tag: 'kudos', access: 'user', params: idParams, query: listQuery, response: pageOf(commentView, 'Comments page') }, async ({ principal, params, query }) => {
    const page = await listComments(deps, userOf(principal), params.id, query);
    return { items: page.items.map(presentComment), nextCursor: page.nextCursor };
  });
}
