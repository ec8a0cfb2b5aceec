/**
 * Scoring rules: the defaults, the PUT /scoring-rules body schema, and loading / saving the
 * rules through the store. Weights live on the behaviour catalog; everything else is stored as
 * one rules record. See docs/scoring.md for what each rule means.
 */
import { z } from 'zod';
import type { Store } from '../store/store.js';
import { audit } from './audit.js';
import { RuleViolationError } from './errors.js';
import type { ScoringRules } from './types.js';

/** Weight of a behaviour whose key is missing from `rules.weights`. */
export const DEFAULT_WEIGHT = 1.0;

/**
 * Defaults before HR edits anything. Tier thresholds are in score points; with all weights 1.0 a
 * solo kudos from a new giver is worth 1 point, so Bronze means "about three distinct
 * recognitions", Gold "about ten".
 */
export const DEFAULT_RULES: Readonly<ScoringRules> = Object.freeze({
  weights: {},
  allowancePerPeriod: null,
  repeatPairDamping: 0.5,
  groupSplit: 'sqrt',
  minDistinctGivers: 3,
  reciprocalThreshold: 3,
  reciprocalPenalty: 1.0,
  tiers: [
    { name: 'Bronze', threshold: 3 },
    { name: 'Silver', threshold: 6 },
    { name: 'Gold', threshold: 10 },
  ],
});

const tierSchema = z.strictObject({
  name: z.string().trim().min(1).max(40),
  threshold: z.number().finite().min(0).max(1_000_000),
});

/** Body of PUT /scoring-rules. Every rule is required (PUT replaces); weights are a partial map. */
export const scoringRulesSchema = z
  .strictObject({
    weights: z
      .record(z.string().min(1).max(100), z.number().finite().min(0).max(5))
      .refine((w) => Object.keys(w).length <= 500, 'at most 500 weights')
      .optional(),
    allowancePerPeriod: z.number().int().min(1).max(100_000).nullable(),
    repeatPairDamping: z.number().finite().min(0).max(1),
    groupSplit: z.enum(['full', 'equal', 'sqrt']),
    minDistinctGivers: z.number().int().min(0).max(10_000),
    reciprocalThreshold: z.number().int().min(1).max(10_000),
    reciprocalPenalty: z.number().finite().min(0).max(1),
    tiers: z
      .array(tierSchema)
      .min(1)
      .max(10)
      .superRefine((tiers, ctx) => {
        const seen = new Set<string>();
        tiers.forEach((t, i) => {
          const lower = t.name.toLowerCase();
          if (seen.has(lower)) {
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'tier names must be unique' });
          }
          seen.add(lower);
          const prev = tiers[i - 1];
          if (prev && t.threshold <= prev.threshold) {
            ctx.addIssue({
              code: 'custom',
              path: [i, 'threshold'],
              message: 'thresholds must be strictly ascending',
            });
          }
        });
      }),
  });

export type ScoringRulesInput = z.infer<typeof scoringRulesSchema>;

/** Stored rules without weights: what `store.saveRules` keeps. */
type StoredRules = Omit<ScoringRules, 'weights'>;

function withoutWeights(rules: Readonly<ScoringRules> | ScoringRulesInput): StoredRules {
  return {
    allowancePerPeriod: rules.allowancePerPeriod,
    repeatPairDamping: rules.repeatPairDamping,
    groupSplit: rules.groupSplit,
    minDistinctGivers: rules.minDistinctGivers,
    reciprocalThreshold: rules.reciprocalThreshold,
    reciprocalPenalty: rules.reciprocalPenalty,
    tiers: rules.tiers.map((t) => ({ name: t.name, threshold: t.threshold })),
  };
}

/**
 * The rules in force: the stored record (or the defaults before HR first saves) plus the weight
 * of every behaviour in the catalog, retired ones included, because old kudos still name them.
 */
export async function loadRules(store: Store): Promise<ScoringRules> {
  const [stored, behaviours] = await Promise.all([store.getRules(), store.listBehaviours()]);
  const weights: Record<string, number> = {};
  for (const b of behaviours) weights[b.key] = b.weight;
  return { ...withoutWeights(stored ?? DEFAULT_RULES), weights };
}

/**
 * Applies a validated PUT /scoring-rules body: writes changed weights onto the catalog and saves
 * the rest in one store call (one transaction on sqlite), and records one audit entry with the
 * before and after, so every edit is traceable.
 * Throws 422 `unknown_behaviour` (writing nothing) when a weight names a key not in the catalog.
 */
export async function updateRules(
  store: Store,
  input: ScoringRulesInput,
  actorId: string,
  nowMs: number,
): Promise<ScoringRules> {
  const before = await loadRules(store);
  const weights = input.weights ?? {};
  // Own keys only: "constructor" or "toString" are in every object, and are no behaviour.
  const unknown = Object.keys(weights).filter((k) => !Object.hasOwn(before.weights, k));
  if (unknown.length > 0) {
    throw new RuleViolationError(
      'unknown_behaviour',
      'Weights may only be set for behaviours in the catalog.',
      unknown.map((k) => ({ path: `weights.${k}`, message: 'no such behaviour' })),
    );
  }
  const changed = Object.fromEntries(Object.entries(weights).filter(([key, weight]) => before.weights[key] !== weight));
  await store.saveRules(withoutWeights(input), changed);
  const after = await loadRules(store);
  await audit({ store, clock: { now: () => nowMs } }, actorId, 'scoring_rules.update', { type: 'scoring_rules', id: null }, {
    before,
    after,
  });
  return after;
}
