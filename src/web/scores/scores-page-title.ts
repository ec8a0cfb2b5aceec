import type { Me } from '../lib/types.js';

/**
 * What /scores is called for this person, in the navigation and as its heading: one page answers
 * each role with what the API lets it see (a manager: themself and their reports; hr and admin:
 * everyone; anyone else: themself).
 */
export function scoresPageTitle(me: Me | null): string {
  if (me?.role === 'manager') return 'My team';
  if (me?.role === 'hr' || me?.role === 'admin') return 'Scores';
  return 'My score';
}
