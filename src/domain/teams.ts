import { nameKey } from './name-key.js';
import type { TeamCount } from './types.js';

/**
 * The directory's name order for teams: by their folded key (accents and case ignored, so
 * "Équipe" sits among the E's), then by the spelling itself, so that "Support" and "support",
 * two teams as far as kudos and walls are concerned, keep one order on every store. Code-unit
 * comparison, not localeCompare: the order must match the cursor comparison of a page of teams.
 */
export function compareTeams(a: Pick<TeamCount, 'name'>, b: Pick<TeamCount, 'name'>): number {
  const ka = nameKey(a.name);
  const kb = nameKey(b.name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Where a team stands in that order, as a list cursor holds it. */
export const teamPosition = (t: Pick<TeamCount, 'name'>) => ({ key: nameKey(t.name), id: t.name });
