import { audit } from './audit.js';
import { DEFAULT_CATALOG } from './catalog.js';
import type { Deps } from './deps.js';
import { ConflictError, NotFoundError } from './errors.js';
import type { Behaviour, BehaviourPatch, User } from './types.js';

/** First start: an empty catalog gets the default behaviours. Safe to run from several processes. */
export async function seedCatalog(deps: Pick<Deps, 'store'>): Promise<number> {
  if ((await deps.store.listBehaviours()).length > 0) return 0;
  let created = 0;
  for (const b of DEFAULT_CATALOG) {
    try {
      await deps.store.createBehaviour(b);
      created++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return created;
}

export async function createBehaviour(deps: Deps, actor: User, b: Behaviour): Promise<Behaviour> {
  const created = await deps.store.createBehaviour(b);
  await audit(deps, actor.id, 'behaviour.created', { type: 'behaviour', id: b.key }, { weight: b.weight });
  return created;
}

/** Behaviours are retired with active:false, never deleted, so old kudos keep their names. */
export async function updateBehaviour(deps: Deps, actor: User, key: string, patch: BehaviourPatch): Promise<Behaviour> {
  const before = await deps.store.getBehaviour(key);
  if (!before) throw new NotFoundError('behaviour');
  const updated = await deps.store.updateBehaviour(key, patch);
  if (!updated) throw new NotFoundError('behaviour');
  const action = patch.active === false && before.active ? 'behaviour.retired' : 'behaviour.updated';
  await audit(deps, actor.id, action, { type: 'behaviour', id: key }, { fields: Object.keys(patch), ...(patch.weight !== undefined ? { weightFrom: before.weight, weightTo: patch.weight } : {}) });
  return updated;
}
