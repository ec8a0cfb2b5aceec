import { expect } from 'chai';
import { DEFAULT_RULES } from '../../src/domain/scoring-rules.js';
import { batchOf } from '../../src/domain/pair-batch.js';
import { PeriodScorer, scorePeriod, zeroResult, type ScoreResult } from '../../src/domain/scoring.js';
import type { ScoringPair, ScoringRules } from '../../src/domain/types.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

interface K {
  id: string;
  giver: string;
  to: string[];
  minute: number;
  b?: string[];
}

/** Expands kudos into the (kudos, recipient) pairs the store hands to scoring. */
function pairs(kudos: K[]): ScoringPair[] {
  return kudos.flatMap((k) =>
    k.to.map((r) => ({
      kudosId: k.id,
      giverId: k.giver,
      recipientId: r,
      createdAt: at(k.minute),
      recipientCount: k.to.length,
      behaviourKeys: k.b ?? ['thank'],
    })),
  );
}

function rules(over: Partial<ScoringRules> = {}): ScoringRules {
  return { ...DEFAULT_RULES, tiers: [...DEFAULT_RULES.tiers], weights: {}, ...over };
}

function byUser(results: ScoreResult[], id: string): ScoreResult {
  const r = results.find((x) => x.userId === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

const score = (kudos: K[], r: ScoringRules, user: string) => byUser(scorePeriod(pairs(kudos), r, { withBreakdown: true }), user);

describe('scorePeriod', () => {
  describe('base value: mean weight of the behaviours', () => {
    const r = rules({ weights: { a: 2, b: 0.5, c: 3 } });
    it('averages the weights instead of adding them', () => {
      const res = score([{ id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['a', 'b'] }], r, 'x');
      expect(res.breakdown[0]?.base).to.equal(1.25);
      expect(res.score).to.equal(1.25);
    });
    it('counts a behaviour missing from the weights as 1.0', () => {
      const res = score([{ id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['a', 'zzz'] }], r, 'x');
      expect(res.breakdown[0]?.base).to.equal(1.5);
    });
    it('lists the behaviours sorted, whatever order the store gave them in', () => {
      const res = score([{ id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['c', 'a'] }], r, 'x');
      expect(res.breakdown[0]?.behaviours).to.deep.equal(['a', 'c']);
      expect(res.breakdown[0]?.base).to.equal(2.5);
    });
    it('does not mistake a key named like an Object member for a weight', () => {
      const res = score([{ id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['constructor', 'toString'] }], rules(), 'x');
      expect(res.breakdown[0]?.base).to.equal(1);
    });
    it('reads a reused mutable behaviour array afresh, and a shared frozen one consistently', () => {
      const keys = ['a'];
      const frozen = Object.freeze(['c']);
      const mk = (id: string, g: string, b: readonly string[]): ScoringPair =>
        ({ kudosId: id, giverId: g, recipientId: 'x', createdAt: at(1), recipientCount: 1, behaviourKeys: b });
      const scorer = new PeriodScorer(r);
      scorer.addBatch(batchOf([mk('k1', 'g1', keys)]));
      scorer.addBatch(batchOf([mk('k2', 'g2', frozen)]));
      keys[0] = 'b';
      scorer.addBatch(batchOf([mk('k3', 'g3', keys)]));
      scorer.addBatch(batchOf([mk('k4', 'g4', frozen)]));
      const res = byUser(scorer.finish({ withBreakdown: true }), 'x');
      expect(res.breakdown.map((l) => l.base)).to.deep.equal([2, 3, 0.5, 3]);
    });
    it('a weight of 0 makes the kudos worth nothing but still counts it', () => {
      const res = score([{ id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['z'] }], rules({ weights: { z: 0 } }), 'x');
      expect(res.score).to.equal(0);
      expect(res.kudosReceived).to.equal(1);
      expect(res.distinctGivers).to.equal(1);
    });
  });

  describe('group split', () => {
    const group: K[] = [{ id: 'k1', giver: 'g', to: ['a', 'b', 'c', 'd'], minute: 1 }];
    it('full gives every recipient the whole base', () => {
      const res = score(group, rules({ groupSplit: 'full' }), 'b');
      expect(res.score).to.equal(1);
      expect(res.breakdown[0]?.adjustments).to.deep.equal([]);
    });
    it('equal gives each of n recipients 1/n', () => {
      const res = score(group, rules({ groupSplit: 'equal' }), 'b');
      expect(res.score).to.equal(0.25);
      expect(res.breakdown[0]?.adjustments).to.deep.equal([{ rule: 'group_split', factor: 0.25 }]);
    });
    it('sqrt (default) gives each of n recipients 1/sqrt(n)', () => {
      expect(DEFAULT_RULES.groupSplit).to.equal('sqrt');
      expect(score(group, rules(), 'b').score).to.equal(0.5);
      const three = score([{ id: 'k1', giver: 'g', to: ['a', 'b', 'c'], minute: 1 }], rules(), 'c');
      expect(three.breakdown[0]?.adjustments).to.deep.equal([{ rule: 'group_split', factor: 1 / Math.sqrt(3) }]);
      expect(three.score).to.equal(0.58);
    });
    it('a solo kudos carries no split adjustment', () => {
      const res = score([{ id: 'k1', giver: 'g', to: ['a'], minute: 1 }], rules(), 'a');
      expect(res.breakdown[0]?.adjustments).to.deep.equal([]);
    });
  });

  describe('repeat-pair damping', () => {
    const three: K[] = [
      { id: 'k3', giver: 'g', to: ['x'], minute: 30 },
      { id: 'k1', giver: 'g', to: ['x'], minute: 10 },
      { id: 'k2', giver: 'g', to: ['x'], minute: 20 },
    ];
    it('counts the 1st, 2nd and 3rd kudos of a pair 1, 0.5 and 0.25, oldest first', () => {
      const res = score(three, rules(), 'x');
      expect(res.breakdown.map((l) => l.kudosId)).to.deep.equal(['k1', 'k2', 'k3']);
      expect(res.breakdown.map((l) => l.adjustments)).to.deep.equal([
        [],
        [{ rule: 'repeat_pair', factor: 0.5 }],
        [{ rule: 'repeat_pair', factor: 0.25 }],
      ]);
      expect(res.breakdown.map((l) => l.points)).to.deep.equal([1, 0.5, 0.25]);
      expect(res.score).to.equal(1.75);
      expect(res.distinctGivers).to.equal(1);
      expect(res.kudosReceived).to.equal(3);
    });
    it('orders by creation time, not by input order, so the heavier early kudos keeps full value', () => {
      const r = rules({ weights: { heavy: 2 } });
      const kudos: K[] = [
        { id: 'k2', giver: 'g', to: ['x'], minute: 20 },
        { id: 'k1', giver: 'g', to: ['x'], minute: 10, b: ['heavy'] },
      ];
      expect(score(kudos, r, 'x').score).to.equal(2.5);
    });
    it('breaks a creation-time tie by kudos id', () => {
      const r = rules({ weights: { heavy: 2 } });
      const kudos: K[] = [
        { id: 'kB', giver: 'g', to: ['x'], minute: 5 },
        { id: 'kA', giver: 'g', to: ['x'], minute: 5, b: ['heavy'] },
      ];
      const res = score(kudos, r, 'x');
      expect(res.breakdown.map((l) => l.kudosId)).to.deep.equal(['kA', 'kB']);
      expect(res.score).to.equal(2.5);
    });
    it('orders timestamps that are not in toISOString form by the instant they name', () => {
      const r = rules({ weights: { heavy: 2 } });
      const p: ScoringPair[] = [
        { kudosId: 'kA', giverId: 'g', recipientId: 'x', createdAt: '2026-03-01T10:00:00+02:00', recipientCount: 1, behaviourKeys: ['thank'] },
        { kudosId: 'kB', giverId: 'g', recipientId: 'x', createdAt: '2026-03-01T09:00:00.000Z', recipientCount: 1, behaviourKeys: ['heavy'] },
      ];
      const res = byUser(scorePeriod(p, r, { withBreakdown: true }), 'x');
      expect(res.breakdown.map((l) => [l.kudosId, l.createdAt])).to.deep.equal([
        ['kA', '2026-03-01T08:00:00.000Z'],
        ['kB', '2026-03-01T09:00:00.000Z'],
      ]);
      expect(res.score).to.equal(2);
      expect(() => scorePeriod([{ ...p[0]!, createdAt: 'yesterday' }], r)).to.throw(/invalid createdAt/);
    });
    it('damps each giver separately and not at all with damping 1', () => {
      const kudos: K[] = [...three, { id: 'k9', giver: 'h', to: ['x'], minute: 40 }];
      expect(score(kudos, rules(), 'x').score).to.equal(2.75);
      expect(score(kudos, rules({ repeatPairDamping: 1 }), 'x').score).to.equal(4);
    });
  });

  describe('reciprocal pairs', () => {
    const mutual = (n: number, m: number): K[] => [
      ...Array.from({ length: n }, (_, i) => ({ id: `ab${i}`, giver: 'a', to: ['b'], minute: i })),
      ...Array.from({ length: m }, (_, i) => ({ id: `ba${i}`, giver: 'b', to: ['a'], minute: 100 + i })),
    ];
    it('flags both people when each gave the other at least 3 kudos; default penalty changes nothing', () => {
      const res = scorePeriod(pairs(mutual(3, 4)), rules(), { withBreakdown: true });
      expect(byUser(res, 'a').flags).to.deep.equal(['reciprocal']);
      expect(byUser(res, 'b').flags).to.deep.equal(['reciprocal']);
      expect(byUser(res, 'b').score).to.equal(1.75);
      // 1 + 0.5 + 0.25 + 0.125 = 1.875, half up
      expect(byUser(res, 'a').score).to.equal(1.88);
      expect(byUser(res, 'b').breakdown[0]?.adjustments).to.deep.equal([{ rule: 'reciprocal', factor: 1 }]);
    });
    it('applies the penalty factor to every kudos of the pair', () => {
      const res = score(mutual(3, 3), rules({ reciprocalPenalty: 0.5 }), 'b');
      // (1 + 0.5 + 0.25) × 0.5 = 0.875, rounded half up
      expect(res.score).to.equal(0.88);
      expect(res.breakdown[2]?.adjustments).to.deep.equal([
        { rule: 'repeat_pair', factor: 0.25 },
        { rule: 'reciprocal', factor: 0.5 },
      ]);
    });
    it('does not flag when one side gave fewer than the threshold', () => {
      const res = scorePeriod(pairs(mutual(3, 2)), rules({ reciprocalPenalty: 0.5 }));
      expect(byUser(res, 'a').flags).to.deep.equal([]);
      expect(byUser(res, 'b').flags).to.deep.equal([]);
      expect(byUser(res, 'b').score).to.equal(1.75);
    });
    it('honours a custom threshold', () => {
      const res = scorePeriod(pairs(mutual(2, 2)), rules({ reciprocalThreshold: 2 }));
      expect(byUser(res, 'a').flags).to.deep.equal(['reciprocal']);
    });
  });

  describe('eligibility and tiers', () => {
    const fromGivers = (n: number, perGiver = 1): K[] =>
      Array.from({ length: n * perGiver }, (_, i) => ({ id: `k${i}`, giver: `g${i % n}`, to: ['x'], minute: i }));
    it('is eligible with score at the lowest threshold and enough distinct givers', () => {
      const res = score(fromGivers(3), rules(), 'x');
      expect(res).to.include({ score: 3, tier: 'Bronze', eligible: true, distinctGivers: 3 });
      expect(res.flags).to.deep.equal([]);
    });
    it('is not eligible below the minimum of distinct givers, and says why', () => {
      const res = score(fromGivers(2, 3), rules(), 'x');
      expect(res).to.include({ score: 3.5, tier: null, eligible: false, distinctGivers: 2 });
      expect(res.flags).to.deep.equal(['few_givers']);
      expect(score(fromGivers(2, 3), rules({ minDistinctGivers: 2 }), 'x').tier).to.equal('Bronze');
    });
    it('is not eligible below the lowest threshold', () => {
      const res = score(fromGivers(3), rules({ weights: { thank: 0.99 } }), 'x');
      expect(res).to.include({ score: 2.97, tier: null, eligible: false });
      expect(res.flags).to.deep.equal([]);
    });
    it('picks the highest tier reached', () => {
      expect(score(fromGivers(6), rules(), 'x').tier).to.equal('Silver');
      expect(score(fromGivers(9), rules(), 'x').tier).to.equal('Silver');
      expect(score(fromGivers(10), rules(), 'x').tier).to.equal('Gold');
    });
    it('compares the rounded score, so 9.996 shown as 10.00 is Gold', () => {
      const kudos: K[] = [
        { id: 'k1', giver: 'g1', to: ['x'], minute: 1, b: ['big'] },
        { id: 'k2', giver: 'g2', to: ['x'], minute: 2, b: ['big'] },
        { id: 'k3', giver: 'g3', to: ['x'], minute: 3, b: ['zero'] },
      ];
      const res = score(kudos, rules({ weights: { big: 4.998, zero: 0 } }), 'x');
      expect(res).to.include({ score: 10, tier: 'Gold', eligible: true });
    });
    it('gives people without kudos a zero result', () => {
      expect(zeroResult('u', rules())).to.deep.equal({
        userId: 'u', score: 0, tier: null, eligible: false, distinctGivers: 0, kudosReceived: 0, flags: [], breakdown: [],
      });
      const generous = rules({ minDistinctGivers: 0, tiers: [{ name: 'All', threshold: 0 }] });
      expect(zeroResult('u', generous)).to.include({ tier: 'All', eligible: true });
    });
  });

  describe('rounding at the end only', () => {
    it('uses largest remainders so the lines add up to the score: three thirds make 1.00', () => {
      const kudos: K[] = [1, 2, 3].map((i) => ({ id: `k${i}`, giver: `g${i}`, to: ['x', `y${i}`, `z${i}`], minute: i }));
      const res = score(kudos, rules({ groupSplit: 'equal' }), 'x');
      expect(res.breakdown.map((l) => l.points)).to.deep.equal([0.34, 0.33, 0.33]);
      expect(res.score).to.equal(1);
    });
    it('three 1/sqrt(3) lines make 1.73, not 3 × 0.58', () => {
      const kudos: K[] = [1, 2, 3].map((i) => ({ id: `k${i}`, giver: `g${i}`, to: ['x', `y${i}`, `z${i}`], minute: i }));
      const res = score(kudos, rules(), 'x');
      expect(res.score).to.equal(1.73);
      expect(res.breakdown.map((l) => l.points)).to.deep.equal([0.58, 0.58, 0.57]);
    });
    it('gives the same score with and without the breakdown', () => {
      const kudos: K[] = [1, 2, 3].map((i) => ({ id: `k${i}`, giver: `g${i}`, to: ['x', `y${i}`, `z${i}`], minute: i }));
      const full = scorePeriod(pairs(kudos), rules(), { withBreakdown: true });
      const lean = scorePeriod(pairs(kudos), rules());
      expect(lean.map((r) => r.score)).to.deep.equal(full.map((r) => r.score));
      expect(lean.every((r) => r.breakdown.length === 0)).to.equal(true);
    });
  });

  describe('output shape', () => {
    it('returns only recipients, ordered by user id, and honours `only`', () => {
      const kudos: K[] = [
        { id: 'k1', giver: 'g', to: ['b', 'a'], minute: 1 },
        { id: 'k2', giver: 'a', to: ['c'], minute: 2 },
      ];
      expect(scorePeriod(pairs(kudos), rules()).map((r) => r.userId)).to.deep.equal(['a', 'b', 'c']);
      expect(scorePeriod(pairs(kudos), rules(), { only: new Set(['c', 'g']) }).map((r) => r.userId)).to.deep.equal(['c']);
    });
    it('explains each line with kudos, giver, time, behaviours and base', () => {
      const res = score([{ id: 'k1', giver: 'g', to: ['x'], minute: 7, b: ['thank'] }], rules(), 'x');
      expect(res.breakdown).to.deep.equal([
        { kudosId: 'k1', giverId: 'g', giverName: null, createdAt: at(7), behaviours: ['thank'], base: 1, adjustments: [], points: 1 },
      ]);
    });
    it('names each line by its giver, asking once per person however many lines they gave', () => {
      const kudos: K[] = [1, 2, 3, 4].map((i) => ({ id: `k${i}`, giver: i % 2 ? 'g' : 'h', to: ['x', 'y'], minute: i }));
      const asked: string[] = [];
      const giverName = (id: string) => (asked.push(id), id === 'g' ? 'Gus' : null);
      const res = scorePeriod(pairs(kudos), rules(), { withBreakdown: true, giverName });
      expect(byUser(res, 'x').breakdown.map((l) => [l.giverId, l.giverName])).to.deep.equal([['g', 'Gus'], ['h', null], ['g', 'Gus'], ['h', null]]);
      expect(asked.filter((id) => id === 'g')).to.have.length(1);
      expect(asked).to.have.length(new Set(asked).size);
      const before = asked.length;
      scorePeriod(pairs(kudos), rules(), { giverName });
      expect(asked, 'no breakdown, no names asked').to.have.length(before);
    });
  });
});
