import { z } from 'zod';
import { createBehaviour, updateBehaviour } from '../../domain/behaviours.js';
import { behaviourParams, createBehaviourBody, updateBehaviourBody } from '../../domain/schemas/behaviours.schema.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { presentBehaviour } from '../presenters.js';
import { behaviourView } from '../response.schema.js';
import { defineRoute, userOf } from '../route.js';

const HR = ['hr', 'admin'] as const;

export function behaviourRoutes(ctx: AppContext, r: ApiRouter): void {
  const { deps } = ctx;
  defineRoute(r, { method: 'get', path: '/behaviours', summary: 'The behaviour catalog, retired ones included', tag: 'behaviours', access: 'user', response: z.array(behaviourView) }, async () =>
    (await deps.store.listBehaviours()).map(presentBehaviour),
  );
  defineRoute(r, { method: 'post', path: '/behaviours', summary: 'Add a behaviour', tag: 'behaviours', access: HR, body: createBehaviourBody, response: behaviourView, status: 201 }, async ({ principal, body }) =>
    presentBehaviour(await createBehaviour(deps, userOf(principal), body)),
  );
  defineRoute(r, { method: 'patch', path: '/behaviours/:key', summary: 'Edit or retire a behaviour', tag: 'behaviours', access: HR, params: behaviourParams, body: updateBehaviourBody, response: behaviourView }, async ({ principal, params, body }) =>
    presentBehaviour(await updateBehaviour(deps, userOf(principal), params.key, body)),
  );
}
