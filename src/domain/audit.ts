import type { Deps } from './deps.js';
import { isoAt } from './deps.js';
import { newId } from './ids.js';

/** Records who did what; called by use cases after the change itself succeeded. */
export async function audit(
  deps: Pick<Deps, 'store' | 'clock'>,
  actorId: string | null,
  action: string,
  target: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await deps.store.appendAudit({
    id: newId(),
    at: isoAt(deps.clock.now()),
    actorId,
    action,
    targetType: target.type,
    targetId: target.id,
    details,
  });
}
