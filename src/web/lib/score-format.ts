/** How scores, points and their adjustments read on screen (HR's scores and the team page alike). */
import { nameKey } from '../../domain/name-key.js';
import type { Adjustment } from './types.js';

const RULES: Record<string, string> = {
  group_split: 'shared with other recipients',
  repeat_pair: 'repeat thanks from the same giver',
  reciprocal: 'reciprocal exchange',
};
const FLAGS: Record<string, string> = {
  few_givers: 'too few distinct givers',
  reciprocal: 'reciprocal pattern',
};

/** Up to `digits` decimals, none when not needed: weights and factors ("1", "0.5", "0.707"). */
export const decimals = (n: number, digits = 2): string => n.toLocaleString(undefined, { minimumFractionDigits: 0, maximumFractionDigits: digits });

/**
 * Scores and points in cents, always two decimals, as the payroll CSV writes them: HR checks one
 * against the other, and "3" beside "3.00" or "0.5" beside "0.50" reads like a difference.
 */
export const points = (n: number): string => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "repeat thanks from the same giver ×0.5"; an unknown rule shows its key rather than nothing. */
export function describeAdjustment(a: Adjustment): string {
  return `${RULES[a.rule] ?? a.rule} ×${decimals(a.factor, 3)}`;
}

/** Readable notes for a person's score flags. */
export function describeFlags(flags: readonly string[] | undefined): string {
  return (flags ?? []).map((f) => FLAGS[f] ?? f).join(', ');
}

/**
 * The rows whose person or team contains `text`, folded as the directory search folds names
 * (src/domain/name-key.ts): "emile" finds "Émile" here too.
 */
export function filterScores<T extends { user: { name: string; team: string } }>(items: readonly T[], text: string): readonly T[] {
  const q = nameKey(text.trim());
  return q ? items.filter((s) => nameKey(s.user.name).includes(q) || nameKey(s.user.team).includes(q)) : items;
}
