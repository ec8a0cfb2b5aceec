/**
 * Bonus-eligibility scoring for one period: a pure function of the period's (kudos, recipient)
 * pairs and the rules. docs/scoring.md is the readable version of this file.
 *
 * Built for a million pairs: pairs are kept column-wise in flat arrays (no object per pair
 * survives `add`), people become small integers, and the breakdown (one object per pair) is only
 * built when asked for.
 */
import { allocateCents, classify, fromCents, toCents, type ScoreFlag } from './scoring-cents.js';
import { FloatColumn, IntColumn } from './scoring-columns.js';
import { ComboTable } from './scoring-combos.js';
import { batchOf, Dictionary, ID_SEP, type PairBatch } from './pair-batch.js';
import { compareStrings } from './scoring-order.js';
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
  /** The giver's name as the caller knew it (ScoreOptions.giverName); null when not asked or unknown. */
  giverName: string | null;
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
  /**
   * Names each breakdown line's giver. Asked once per person, not per line: a million lines share
   * ten thousand name strings instead of each holding a copy (or a lookup of its own).
   */
  giverName?: (userId: string) => string | null;
}

/** Pairs grouped by recipient, oldest kudos first, with what scoring reads laid out in that order. */
interface Layout {
  /** Recipient r's pairs are positions start[r] .. start[r + 1] - 1. */
  start: Int32Array;
  kudosAt: Int32Array;
  giverAt: Int32Array;
  /** base × group split of the kudos at each position. */
  valueAt: Float64Array;
}

/** Accumulates a period's pairs batch by batch (so a store stream need not be buffered). */
export class PeriodScorer {
  private readonly users = new Dictionary();
  private readonly combos: ComboTable;
  // Kudos facts, one entry per kudos of each batch; a kudos seen again later (pairs handed out
  // apart) simply gets a second, identical entry.
  // Kudos k owns the pairs kudosFirstPair[k] .. kudosFirstPair[k + 1] - 1.
  /** The batches' joined kudos ids, split only when a breakdown or a tie needs them. */
  private readonly idChunks: string[] = [];
  private splitIds: string[] | null = null;
  /** Epoch ms: equal to ordering canonical ISO strings, without a string per kudos. */
  private readonly kudosAt = new FloatColumn();
  private readonly kudosSplit = new FloatColumn();
  private readonly kudosCombo = new IntColumn();
  private readonly kudosGiver = new IntColumn();
  private readonly kudosFirstPair = new IntColumn();
  private readonly pairRecipient = new IntColumn();

  constructor(private readonly rules: ScoringRules) {
    this.combos = new ComboTable(rules.weights);
  }

  /** Takes in a batch; its dictionaries are mapped onto the scorer's own once per batch. */
  addBatch(b: PairBatch): void {
    const people = Int32Array.from(b.people, (id) => this.users.of(id));
    const combos = Int32Array.from(b.behaviourLists, (keys) => this.combos.indexOf(keys));
    const pairBase = this.pairRecipient.length;
    for (let k = 0; k < b.kudosCount; k++) {
      const at = b.createdAtMs[k]!;
      if (!Number.isFinite(at)) throw new Error('a kudos has an invalid createdAt');
      this.kudosAt.push(at);
      this.kudosSplit.push(this.splitFactor(b.recipientCount[k]!));
      this.kudosCombo.push(combos[b.behaviours[k]!]!);
      this.kudosGiver.push(people[b.giver[k]!]!);
      this.kudosFirstPair.push(pairBase + b.firstPair[k]!);
    }
    const recipients = b.firstPair[b.kudosCount]!;
    for (let p = 0; p < recipients; p++) this.pairRecipient.push(people[b.recipient[p]!]!);
    if (b.kudosCount > 0) {
      this.idChunks.push(b.kudosIds);
      this.splitIds = null;
    }
  }

  private kudosIds(): string[] {
    this.splitIds ??= this.idChunks.flatMap((chunk) => chunk.split(ID_SEP));
    return this.splitIds;
  }

  /** Scores every recipient seen so far; results ordered by userId. */
  finish(opts: ScoreOptions = {}): ScoreResult[] {
    const steps = this.scoring(opts);
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * The same results as `finish`, with `pause()` awaited after every `slice` recipients scored.
   * With every line built (a close, everyone's breakdown) scoring 10,000 people takes seconds of
   * one event-loop turn; in slices, health checks, feeds and TV walls are served in between.
   */
  async finishInSlices(opts: ScoreOptions, pause: () => Promise<void>, slice = 200): Promise<ScoreResult[]> {
    const steps = this.scoring(opts);
    let scored = 0;
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      if (++scored % slice === 0) await pause();
    }
  }

  /** Yields after each recipient it scores; returns the results ordered by userId. */
  private *scoring(opts: ScoreOptions): Generator<void, ScoreResult[]> {
    const U = this.users.values.length;
    const { start, kudosAt, giverAt, valueAt } = this.layout(U);
    const { strong, distinct } = this.countPairs(U, start, giverAt);
    const damping = this.dampingTable(start);
    const penalty = this.rules.reciprocalPenalty;
    const count = new Int32Array(U);
    const reciprocal = new Uint8Array(U);
    const results: ScoreResult[] = [];
    const names = opts.withBreakdown ? this.users.values.map((id) => opts.giverName?.(id) ?? null) : [];
    for (let r = 0; r < U; r++) {
      const from = start[r]!;
      const to = start[r + 1]!;
      const userId = this.users.values[r]!;
      if (from === to || (opts.only && !opts.only.has(userId))) continue;
      let sum = 0;
      let anyReciprocal = false;
      const exact: number[] = [];
      const lines: ScoreLine[] = [];
      for (let i = from; i < to; i++) {
        const g = giverAt[i]!;
        const kth = ++count[g]!;
        if (kth === 1) reciprocal[g] = strong.has(g * U + r) && strong.has(r * U + g) ? 1 : 0;
        const isReciprocal = reciprocal[g] === 1;
        anyReciprocal ||= isReciprocal;
        const damp = damping[kth - 1]!;
        const pen = isReciprocal ? penalty : 1;
        // One fixed multiplication order, (base × split) × damping × penalty, so equal inputs
        // give bit-identical points.
        const points = valueAt[i]! * damp * pen;
        sum += points;
        if (!opts.withBreakdown) continue;
        exact.push(points);
        lines.push(this.line(kudosAt[i]!, damp, isReciprocal ? pen : null, names));
      }
      for (let i = from; i < to; i++) count[giverAt[i]!] = 0;
      results.push(this.result(userId, sum, distinct[r]!, to - from, anyReciprocal, exact, lines));
      yield;
    }
    return results.sort((a, b) => compareStrings(a.userId, b.userId));
  }

  /** A breakdown line; points are filled in once the person's total is known. */
  private line(k: number, damp: number, reciprocalFactor: number | null, names: ReadonlyArray<string | null>): ScoreLine {
    const combo = this.combos.combos[this.kudosCombo.data[k]!]!;
    const ids = this.kudosIds();
    const split = this.kudosSplit.data[k]!;
    const adjustments: Adjustment[] = [];
    if (split !== 1) adjustments.push({ rule: 'group_split', factor: split });
    if (damp !== 1) adjustments.push({ rule: 'repeat_pair', factor: damp });
    // Listed even at factor 1, so the 'reciprocal' flag can be traced to its kudos.
    if (reciprocalFactor !== null) adjustments.push({ rule: 'reciprocal', factor: reciprocalFactor });
    const giver = this.kudosGiver.data[k]!;
    return {
      kudosId: ids[k]!,
      giverId: this.users.values[giver]!,
      giverName: names[giver] ?? null,
      createdAt: new Date(this.kudosAt.data[k]!).toISOString(),
      behaviours: combo.keys,
      base: combo.base,
      adjustments,
      points: 0,
    };
  }

  private result(
    userId: string, sum: number, givers: number, received: number, anyReciprocal: boolean, exact: number[], lines: ScoreLine[],
  ): ScoreResult {
    const cents = toCents(sum);
    if (lines.length > 0) {
      const lineCents = allocateCents(exact, cents);
      lines.forEach((line, i) => (line.points = fromCents(lineCents[i] ?? 0)));
    }
    const score = fromCents(cents);
    const c = classify(score, givers, this.rules);
    const flags: ScoreFlag[] = [];
    if (anyReciprocal) flags.push('reciprocal');
    if (c.fewGivers) flags.push('few_givers');
    return { userId, score, tier: c.tier, eligible: c.eligible, distinctGivers: givers, kudosReceived: received, flags, breakdown: lines };
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

  /** damping^(k-1) for every k up to the largest number of kudos one person received. */
  private dampingTable(start: Int32Array): Float64Array {
    let longest = 1;
    for (let u = 0; u + 1 < start.length; u++) longest = Math.max(longest, start[u + 1]! - start[u]!);
    const d = this.rules.repeatPairDamping;
    const table = new Float64Array(longest);
    for (let k = 0; k < longest; k++) table[k] = d ** k;
    return table;
  }

  /**
   * Kudos in (createdAt, id) order (usually already so: one linear check), then their pairs
   * dealt into per-recipient buckets in that order (a counting sort), so every bucket comes out
   * oldest first without sorting buckets, and later passes read memory sequentially.
   */
  private layout(U: number): Layout {
    const K = this.kudosAt.length;
    const P = this.pairRecipient.length;
    const recipientOf = this.pairRecipient.data;
    const firstPair = this.kudosFirstPair.data;
    const start = new Int32Array(U + 1);
    for (let p = 0; p < P; p++) start[recipientOf[p]! + 1]!++;
    for (let u = 0; u < U; u++) start[u + 1]! += start[u]!;
    const next = start.slice(0, U);
    const kudosAt = new Int32Array(P);
    const giverAt = new Int32Array(P);
    const valueAt = new Float64Array(P);
    const order = this.kudosInTimeOrder();
    const combos = this.combos.combos;
    for (let j = 0; j < K; j++) {
      const k = order ? order[j]! : j;
      const g = this.kudosGiver.data[k]!;
      const value = combos[this.kudosCombo.data[k]!]!.base * this.kudosSplit.data[k]!;
      const last = k + 1 < K ? firstPair[k + 1]! : P;
      for (let p = firstPair[k]!; p < last; p++) {
        const i = next[recipientOf[p]!]!++;
        kudosAt[i] = k;
        giverAt[i] = g;
        valueAt[i] = value;
      }
    }
    return { start, kudosAt, giverAt, valueAt };
  }

  /** null when the kudos already arrived in (createdAt, id) order, else the sorted indices. */
  private kudosInTimeOrder(): Int32Array | null {
    const K = this.kudosAt.length;
    const at = this.kudosAt.data;
    let sorted = true;
    let ties = false;
    for (let k = 1; k < K; k++) {
      if (at[k - 1]! > at[k]!) sorted = false;
      else if (at[k - 1] === at[k]) ties = true;
    }
    // Ids only decide between kudos of the same millisecond: in sorted input those sit side by
    // side, so ids are split only when a neighbour shares the millisecond or a sort is due.
    const ids = ties || !sorted ? this.kudosIds() : null;
    const before = (a: number, b: number): number => at[a]! - at[b]! || (ids ? compareStrings(ids[a]!, ids[b]!) : 0);
    if (sorted && ids) for (let k = 1; k < K && sorted; k++) sorted = before(k - 1, k) <= 0;
    if (sorted) return null;
    return Int32Array.from({ length: K }, (_, k) => k).sort(before);
  }

  /**
   * Distinct givers per recipient, and every directed (giver → recipient) pair that reached the
   * reciprocal threshold, keyed giver × U + recipient.
   */
  private countPairs(U: number, start: Int32Array, giverAt: Int32Array): { strong: Set<number>; distinct: Int32Array } {
    const threshold = this.rules.reciprocalThreshold;
    const count = new Int32Array(U);
    const distinct = new Int32Array(U);
    const strong = new Set<number>();
    for (let r = 0; r < U; r++) {
      const from = start[r]!;
      const to = start[r + 1]!;
      let givers = 0;
      for (let i = from; i < to; i++) {
        const g = giverAt[i]!;
        if (count[g]!++ === 0) givers++;
        if (count[g] === threshold) strong.add(g * U + r);
      }
      distinct[r] = givers;
      for (let i = from; i < to; i++) count[giverAt[i]!] = 0;
    }
    return { strong, distinct };
  }
}

/**
 * Scores one period. The result does not depend on the order of `pairs`: they are re-ordered
 * by (createdAt, kudosId) before damping and summing. Recipients without pairs are absent; use
 * `zeroResult` for them.
 */
export function scorePeriod(pairs: Iterable<ScoringPair>, rules: ScoringRules, opts: ScoreOptions = {}): ScoreResult[] {
  const scorer = new PeriodScorer(rules);
  scorer.addBatch(batchOf(pairs));
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
