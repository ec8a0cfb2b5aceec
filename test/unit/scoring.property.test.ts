import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_RULES } from '../../src/domain/scoring-rules.js';
import { batchOf } from '../../src/domain/pair-batch.js';
import { PeriodScorer, scorePeriod } from '../../src/domain/scoring.js';
import type { ScoringPair, ScoringRules } from '../../src/domain/types.js';

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'];
const KEYS = ['thank', 'listen', 'own', 'fair'];
const T0 = Date.parse('2026-03-01T00:00:00.000Z');

interface Gen {
  giver: number;
  recipients: number[];
  behaviours: string[];
  /** Few distinct minutes, so creation-time ties (broken by id) really happen. */
  minute: number;
}

const kudosArb: fc.Arbitrary<Gen> = fc.record({
  giver: fc.integer({ min: 0, max: USERS.length - 1 }),
  recipients: fc.uniqueArray(fc.integer({ min: 0, max: USERS.length - 1 }), { minLength: 1, maxLength: 4 }),
  behaviours: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }),
  minute: fc.integer({ min: 0, max: 20 }),
});

/** Ids are deliberately not in time order, so the id tie-break is exercised. */
function toPairs(kudos: Gen[], idOf: (i: number) => string = (i) => `k${(i * 7919) % 1000}-${i}`): ScoringPair[] {
  return kudos.flatMap((k, i) => {
    const recipients = k.recipients.filter((r) => r !== k.giver);
    return recipients.map((r) => ({
      kudosId: idOf(i),
      giverId: USERS[k.giver] ?? 'u0',
      recipientId: USERS[r] ?? 'u0',
      createdAt: new Date(T0 + k.minute * 60_000).toISOString(),
      recipientCount: recipients.length,
      behaviourKeys: k.behaviours,
    }));
  });
}

const weightArb = fc.integer({ min: 0, max: 50 }).map((n) => n / 10);

const rulesArb: fc.Arbitrary<ScoringRules> = fc.record({
  weights: fc.record(Object.fromEntries(KEYS.map((k) => [k, weightArb])) as Record<string, fc.Arbitrary<number>>),
  allowancePerPeriod: fc.constant(null),
  repeatPairDamping: fc.double({ min: 0, max: 1, noNaN: true }),
  groupSplit: fc.constantFrom('full' as const, 'equal' as const, 'sqrt' as const),
  minDistinctGivers: fc.integer({ min: 0, max: 4 }),
  reciprocalThreshold: fc.integer({ min: 1, max: 3 }),
  reciprocalPenalty: fc.double({ min: 0, max: 1, noNaN: true }),
  tiers: fc.constant([...DEFAULT_RULES.tiers]),
});

const cents = (x: number) => Math.round(x * 100);

describe('scorePeriod properties', () => {
  it('gives the same output, breakdown included, for any order of the input pairs', () => {
    fc.assert(
      fc.property(
        fc.array(kudosArb, { maxLength: 40 }).chain((kudos) => {
          const pairs = toPairs(kudos);
          return fc.tuple(fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }));
        }),
        rulesArb,
        ([pairs, shuffled], rules) => {
          const a = scorePeriod(pairs, rules, { withBreakdown: true });
          const b = scorePeriod(shuffled, rules, { withBreakdown: true });
          expect(b).to.deep.equal(a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores in slices exactly as at once, pausing after every slice of recipients', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(kudosArb, { maxLength: 40 }), rulesArb, fc.integer({ min: 1, max: 4 }), async (kudos, rules, slice) => {
        const scorer = new PeriodScorer(rules);
        scorer.addBatch(batchOf(toPairs(kudos)));
        const whole = scorePeriod(toPairs(kudos), rules, { withBreakdown: true });
        let pauses = 0;
        const sliced = await scorer.finishInSlices({ withBreakdown: true }, async () => void pauses++, slice);
        expect(sliced).to.deep.equal(whole);
        expect(pauses).to.equal(Math.floor(whole.length / slice));
      }),
      { numRuns: 200 },
    );
  });

  it('makes the breakdown points add up to the score exactly, in cents', () => {
    fc.assert(
      fc.property(fc.array(kudosArb, { maxLength: 40 }), rulesArb, (kudos, rules) => {
        for (const r of scorePeriod(toPairs(kudos), rules, { withBreakdown: true })) {
          const lineCents = r.breakdown.reduce((s, l) => s + cents(l.points), 0);
          expect(lineCents).to.equal(cents(r.score));
          expect(r.breakdown).to.have.length(r.kudosReceived);
          // Each line is within one cent of its own exact value.
          for (const l of r.breakdown) {
            const exact = l.adjustments.reduce((p, a) => p * a.factor, l.base);
            expect(Math.abs(l.points - exact)).to.be.lessThan(0.0101);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers a recipient\'s score when a new (latest) kudos is added, under default rules', () => {
    const defaults: ScoringRules = { ...DEFAULT_RULES, tiers: [...DEFAULT_RULES.tiers], weights: {} };
    fc.assert(
      fc.property(fc.array(kudosArb, { maxLength: 40 }), kudosArb, (kudos, extra) => {
        const before = new Map(scorePeriod(toPairs(kudos), defaults).map((r) => [r.userId, r]));
        // The server stamps kudos with its current time, so a new kudos is always the latest.
        const latest = { ...extra, minute: 21 };
        const after = scorePeriod(toPairs([...kudos, latest]), defaults);
        for (const r of after) {
          const old = before.get(r.userId);
          expect(r.score).to.be.at.least(old?.score ?? 0);
          if (old?.eligible) expect(r.eligible).to.equal(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
