import type { Behaviour } from './types.js';

export interface BehaviourGroup {
  name: string;
  behaviours: Behaviour[];
}

/** Groups in catalog order (the order of DOMAIN.md), each keeping its behaviours' order. */
export function groupBehaviours(all: readonly Behaviour[], activeOnly = true): BehaviourGroup[] {
  const groups = new Map<string, Behaviour[]>();
  for (const b of all) {
    if (activeOnly && !b.active) continue;
    const list = groups.get(b.group) ?? [];
    list.push(b);
    groups.set(b.group, list);
  }
  return [...groups].map(([name, behaviours]) => ({ name, behaviours }));
}
