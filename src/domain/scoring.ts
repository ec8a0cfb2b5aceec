/**
 * Bonus-eligibility scoring for one period: a pure function of the period's (kudos, recipient)
 * pairs and the rules. docs/scoring.md is the readable version of this file.
 *
 * Built for a million pairs: pairs are kept as integer indices in flat arrays (no object per
 * pair survives `add`), per-kudos facts are stored once, and the breakdown (one object per pair)
 * is only built when asked for.
 */
import { allocateCents, classify, fromCents, toCents, type ScoreFlag } from './scoring-cents.js';
import { DEFAULT_WEIGHT } from './scoring-rules.js';
import type { Iso, ScoringPair, ScoringRules } from './types.js';

export type AdjustmentRule = 'group_split' | 'repeat_pair' | 'reciprocal';

export interface Adjustment {
  rule: AdjustmentRule;
  factor: number;
}

/** One contributing kudos: points = base × every factor, rounded as described in allocateCents. */
export interface ScoreLine {
  kudosId: string;
  giverId: string;
  createdAt: Iso;
  /** Behaviour keys, sorted. */
  behaviours: string[];
  /** Mean weight of the behaviours, unrounded. */
  base: number;
  adjustments: Adjustment[];
  /** Two decimals; the lines of one person add up to their score exactly (in cents). */
  points: number;
}

export interface ScoreResult {
  userId: string;
  score: number;
  tier: string | null;
  eligible: boolean;
  distinctGivers: number;
  kudosReceived: number;
  flags: ScoreFlag[];
  /** Oldest kudos first; empty unless `withBreakdown`. */
  breakdown: ScoreLine[];
}

export interface ScoreOptions {
  /** Build the per-kudos breakdown (the CSV does not need it). Default false. */
  withBreakdown?: boolean;
  /** Only return results for these recipients; scoring still reads every pair (reciprocity). */
  only?: ReadonlySet<string>;
}

interface Combo {
  keys: string[];
  base: number;
}

/** Accumulates a period's pairs one at a time (so an async store stream need not be buffered). */
export class PeriodScorer {
  private readonly userIndex = new Map<string, number>();
  private readonly userIds: string[] = [];
  private readonly kudosIndex = new Map<string, number>();
  private readonly kudosIds: string[] = [];
  private readonly kudosMs: number[] = [];
  private readonly kudosRecipients: number[] = [];
  private readonly kudosCombo: number[] = [];
  private readonly comboIndex = new Map<string, number>();
  private readonly combos: Combo[] = [];
  private readonly pairKudos: number[] = [];
  private readonly pairGiver: number[] = [];
  private readonly pairRecipient: number[] = [];

  constructor(private readonly rules: ScoringRules) {}

  add(pair: ScoringPair): void {
    let k = this.kudosIndex.get(pair.kudosId);
    if (k === undefined) {
      const ms = Date.parse(pair.createdAt);
      if (Number.isNaN(ms)) throw new Error(`kudos ${pair.kudosId} has an invalid createdAt`);
      k = this.kudosIds.length;
      this.kudosIndex.set(pair.kudosId, k);
      this.kudosIds.push(pair.kudosId);
      this.kudosMs.push(ms);
      this.kudosRecipients.push(Math.max(1, pair.recipientCount));
      this.kudosCombo.push(this.comboOf(pair.behaviourKeys));
    }
    this.pairKudos.push(k);
    this.pairGiver.push(this.user(pair.giverId));
    this.pairRecipient.push(this.user(pair.recipientId));
  }

  /** Scores every recipient seen so far; results ordered by userId. */
  finish(opts: ScoreOptions = {}): ScoreResult[] {
    const U = this.userIds.length;
    const { start, order } = this.bucketByRecipient(U);
    const { strong, distinct } = this.countPairs(U, start, order);
    const results: ScoreResult[] = [];
    const count = new Int32Array(U);
    const reciprocal = new Uint8Array(U);
    const touched: number[] = [];
    const damping = this.dampingTable();
    const penalty = this.rules.reciprocalPenalty;
    for (let r = 0; r < U; r++) {
      const from = start[r] ?? 0;
      const to = start[r + 1] ?? 0;
      const userId = this.userIds[r] ?? '';
      if (from === to || (opts.only && !opts.only.has(userId))) continue;
      let sum = 0;
      let anyReciprocal = false;
      const exact: number[] = [];
      const lines: ScoreLine[] = [];
      for (let i = from; i < to; i++) {
        const p = order[i] ?? 0;
        const g = this.pairGiver[p] ?? 0;
        const k = this.pairKudos[p] ?? 0;
        const kth = ++count[g]!;
        if (kth === 1) {
          touched.push(g);
          reciprocal[g] = strong.has(g * U + r) && strong.has(r * U + g) ? 1 : 0;
        }
        const isReciprocal = reciprocal[g] === 1;
        anyReciprocal ||= isReciprocal;
        const combo = this.combos[this.kudosCombo[k] ?? 0] as Combo;
        const split = this.splitFactor(this.kudosRecipients[k] ?? 1);
        const damp = damping(kth);
        const pen = isReciprocal ? penalty : 1;
        // One fixed multiplication order, so equal inputs give bit-identical points.
        const points = combo.base * split * damp * pen;
        sum += points;
        if (!opts.withBreakdown) continue;
        exact.push(points);
        const adjustments: Adjustment[] = [];
        if (split !== 1) adjustments.push({ rule: 'group_split', factor: split });
        if (damp !== 1) adjustments.push({ rule: 'repeat_pair', factor: damp });
        // Listed even at factor 1, so the 'reciprocal' flag can be traced to its kudos.
        if (isReciprocal) adjustments.push({ rule: 'reciprocal', factor: pen });
        lines.push({
          kudosId: this.kudosIds[k] ?? '',
          giverId: this.userIds[g] ?? '',
          createdAt: new Date(this.kudosMs[k] ?? 0).toISOString(),
          behaviours: combo.keys,
          base: combo.base,
          adjustments,
          points: 0,
        });
      }
      for (const g of touched) count[g] = 0;
      touched.length = 0;
      const cents = toCents(sum);
      if (opts.withBreakdown) {
        const lineCents = allocateCents(exact, cents);
        lines.forEach((line, i) => (line.points = fromCents(lineCents[i] ?? 0)));
      }
      const score = fromCents(cents);
      const givers = distinct[r] ?? 0;
      const c = classify(score, givers, this.rules);
      const flags: ScoreFlag[] = [];
      if (anyReciprocal) flags.push('reciprocal');
      if (c.fewGivers) flags.push('few_givers');
      results.push({
        userId,
        score,
        tier: c.tier,
        eligible: c.eligible,
        distinctGivers: givers,
        kudosReceived: to - from,
        flags,
        breakdown: lines,
      });
    }
    return results.sort((a, b) => compareStrings(a.userId, b.userId));
  }

  private user(id: string): number {
    let u = this.userIndex.get(id);
    if (u === undefined) {
      u = this.userIds.length;
      this.userIndex.set(id, u);
      this.userIds.push(id);
    }
    return u;
  }

  /** Kudos naming the same behaviours share one sorted key list and one base value. */
  private comboOf(keys: readonly string[]): number {
    const sorted = keys.length === 1 ? (keys as string[]) : [...new Set(keys)].sort(compareStrings);
    const id = sorted.join('\n');
    let c = this.comboIndex.get(id);
    if (c === undefined) {
      c = this.combos.length;
      this.comboIndex.set(id, c);
      this.combos.push({ keys: [...sorted], base: this.meanWeight(sorted) });
    }
    return c;
  }

  private meanWeight(sortedKeys: readonly string[]): number {
    if (sortedKeys.length === 0) return DEFAULT_WEIGHT;
    let sum = 0;
    for (const key of sortedKeys) sum += this.rules.weights[key] ?? DEFAULT_WEIGHT;
    return sum / sortedKeys.length;
  }

  private splitFactor(n: number): number {
    if (n <= 1) return 1;
    switch (this.rules.groupSplit) {
      case 'full':
        return 1;
      case 'equal':
        return 1 / n;
      case 'sqrt':
        return 1 / Math.sqrt(n);
    }
  }

  /** damping^(k-1), computed once per k. */
  private dampingTable(): (k: number) => number {
    const d = this.rules.repeatPairDamping;
    const table: number[] = [1];
    return (k) => {
      while (table.length < k) table.push(d ** table.length);
      return table[k - 1] ?? 0;
    };
  }

  /** Pair indices grouped by recipient (counting sort), each group oldest kudos first. */
  private bucketByRecipient(U: number): { start: Int32Array; order: Int32Array } {
    const P = this.pairKudos.length;
    const start = new Int32Array(U + 1);
    for (let p = 0; p < P; p++) start[(this.pairRecipient[p] ?? 0) + 1]!++;
    for (let u = 0; u < U; u++) start[u + 1]! += start[u] ?? 0;
    const next = start.slice(0, U);
    const order = new Int32Array(P);
    for (let p = 0; p < P; p++) order[next[this.pairRecipient[p] ?? 0]!++] = p;
    const ms = this.kudosMs;
    const ids = this.kudosIds;
    const kudosOf = this.pairKudos;
    const byTime = (a: number, b: number): number => {
      const ka = kudosOf[a] ?? 0;
      const kb = kudosOf[b] ?? 0;
      if (ka === kb) return 0;
      return (ms[ka] ?? 0) - (ms[kb] ?? 0) || compareStrings(ids[ka] ?? '', ids[kb] ?? '');
    };
    for (let u = 0; u < U; u++) {
      const from = start[u] ?? 0;
      const to = start[u + 1] ?? 0;
      if (to - from > 1) order.subarray(from, to).sort(byTime);
    }
    return { start, order };
  }

  /**
   * Distinct givers per recipient, and every directed (giver → recipient) pair that reached the
   * reciprocal threshold, keyed giver × U + recipient.
   */
  private countPairs(U: number, start: Int32Array, order: Int32Array): { strong: Set<number>; distinct: Int32Array } {
    const threshold = this.rules.reciprocalThreshold;
    const count = new Int32Array(U);
    const distinct = new Int32Array(U);
    const strong = new Set<number>();
    const touched: number[] = [];
    for (let r = 0; r < U; r++) {
      for (let i = start[r] ?? 0; i < (start[r + 1] ?? 0); i++) {
        const g = this.pairGiver[order[i] ?? 0] ?? 0;
        if (count[g]!++ === 0) touched.push(g);
      }
      distinct[r] = touched.length;
      for (const g of touched) {
        if ((count[g] ?? 0) >= threshold) strong.add(g * U + r);
        count[g] = 0;
      }
      touched.length = 0;
    }
    return { strong, distinct };
  }
}

/** Ordinal (code unit) comparison: the same order on every machine and Node version. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Scores one period. The result does not depend on the order of `pairs`: they are re-ordered
 * by (createdAt, kudosId) before damping and summing. Recipients without pairs are absent; use
 * `zeroResult` for them.
 */
export function scorePeriod(pairs: Iterable<ScoringPair>, rules: ScoringRules, opts: ScoreOptions = {}): ScoreResult[] {
  const scorer = new PeriodScorer(rules);
  for (const pair of pairs) scorer.add(pair);
  return scorer.finish(opts);
}

/** The result of someone who received nothing in the period. */
export function zeroResult(userId: string, rules: Pick<ScoringRules, 'tiers' | 'minDistinctGivers'>): ScoreResult {
  const c = classify(0, 0, rules);
  return {
    userId,
    score: 0,
    tier: c.tier,
    eligible: c.eligible,
    distinctGivers: 0,
    kudosReceived: 0,
    flags: c.fewGivers ? ['few_givers'] : [],
    breakdown: [],
  };
}
