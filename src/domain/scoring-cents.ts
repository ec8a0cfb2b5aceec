/**
 * The last step of scoring: turning exact (double) points into cents, and cents into a tier.
 * Kept apart from the scorer so the rounding rule can be read and tested on its own.
 */
import type { ScoringRules } from './types.js';

/**
 * Binary doubles cannot hold most decimals (2.675 is stored as 2.67499999...), so a value that
 * is mathematically on a half cent may sit a hair below it. This nudge (a millionth of a cent)
 * makes such values round half up as a person doing the sum by hand would; it cannot move any
 * value that is not within a millionth of a cent of a boundary.
 */
const NUDGE = 1e-6;

/** Half-up rounding of a non-negative amount of points to whole cents. */
export function toCents(points: number): number {
  return Math.round(points * 100 + NUDGE);
}

/** Cents as a number with two decimals (the nearest double, which prints as the decimal). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/**
 * Largest-remainder rounding: each line gets floor(exact × 100) cents, then the cents still
 * missing to reach `totalCents` go one each to the lines with the largest remainders (earlier
 * line first on a tie). The rounded lines therefore add up to the rounded total exactly, and no
 * line moves by more than one cent from its own rounding.
 */
export function allocateCents(exact: readonly number[], totalCents: number): number[] {
  const n = exact.length;
  const cents = new Array<number>(n);
  const rest = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const scaled = (exact[i] ?? 0) * 100;
    const floor = Math.floor(scaled + NUDGE);
    cents[i] = floor;
    rest[i] = scaled - floor;
    sum += floor;
  }
  let diff = totalCents - sum;
  if (diff === 0) return cents;
  const byRest = Array.from({ length: n }, (_, i) => i);
  byRest.sort((a, b) => (rest[b] ?? 0) - (rest[a] ?? 0) || a - b);
  // diff > 0 is the normal case; diff < 0 can only come from accumulated binary error and takes
  // cents back from the smallest remainders. Both loops stop once the books balance.
  for (let j = 0; diff > 0 && n > 0; j = (j + 1) % n, diff--) {
    const i = byRest[j] ?? 0;
    cents[i] = (cents[i] ?? 0) + 1;
  }
  for (let j = n - 1; diff < 0 && j >= 0; j--) {
    const i = byRest[j] ?? 0;
    if ((cents[i] ?? 0) > 0) {
      cents[i] = (cents[i] ?? 0) - 1;
      diff++;
    }
  }
  return cents;
}

export type ScoreFlag = 'reciprocal' | 'few_givers';

export interface Classification {
  tier: string | null;
  eligible: boolean;
  /** 'few_givers' when the score reaches a tier but too few distinct people gave it. */
  fewGivers: boolean;
}

/**
 * Eligibility on the rounded score (the number HR sees), so 9.996 shown as 10.00 earns the tier
 * whose threshold is 10. The tier is the highest one reached; ineligible people get no tier, so
 * payroll never pays a tier to someone who is not eligible.
 */
export function classify(score: number, distinctGivers: number, rules: Pick<ScoringRules, 'tiers' | 'minDistinctGivers'>): Classification {
  let reached: string | null = null;
  let best = -Infinity;
  for (const t of rules.tiers) {
    if (score >= t.threshold && t.threshold > best) {
      reached = t.name;
      best = t.threshold;
    }
  }
  if (reached === null) return { tier: null, eligible: false, fewGivers: false };
  if (distinctGivers < rules.minDistinctGivers) return { tier: null, eligible: false, fewGivers: true };
  return { tier: reached, eligible: true, fewGivers: false };
}
