import { expect } from 'chai';
import { AllowanceExhaustedError, PeriodOverlapError } from '../../src/domain/errors.js';
import { insertWithinAllowance } from '../../src/store/mongo/mongo-allowance.js';
import type { KudosDoc } from '../../src/store/mongo/mongo-documents.js';
import type { Models } from '../../src/store/mongo/mongo-models.js';
import { MongoPeriods } from '../../src/store/mongo/mongo-periods.store.js';
import { atRandomInstant, seededRandom } from '../support/seeded-random.js';

type Doc = Record<string, unknown>;

/** Equality, null (absent or null), and $gte/$gt/$lt on strings: all the gated writers' filters use. */
function matches(d: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([field, cond]) => {
    const v = d[field];
    if (cond === null) return v === null || v === undefined;
    if (typeof cond !== 'object') return v === cond;
    const c = cond as { $gte?: string; $gt?: string; $lt?: string };
    return typeof v === 'string' && (c.$gte === undefined || v >= c.$gte) && (c.$gt === undefined || v > c.$gt) && (c.$lt === undefined || v < c.$lt);
  });
}

/**
 * The handful of model calls the gated writers (allowance, period creation) make, over in-memory collections. Each call
 * takes effect at a random instant between its request and its answer, as on a server shared by
 * several processes, so concurrent writers interleave differently for every seed.
 */
function fakeModels(random: () => number) {
  const kudos = new Map<string, Doc>();
  const periods = new Map<string, Doc>();
  const gates = new Map<string, Doc>();
  const op = atRandomInstant(random);
  const duplicate = () => Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
  const m = {
    kudos: {
      create: (doc: Doc) => op(() => {
        if (kudos.has(doc._id as string)) throw duplicate();
        kudos.set(doc._id as string, { ...doc });
      }),
      countDocuments: (filter: Doc) => op(() => [...kudos.values()].filter((d) => matches(d, filter)).length),
      deleteOne: (filter: Doc) => op(() => {
        kudos.delete(filter._id as string);
      }),
    },
    periods: {
      create: (doc: Doc) => op(() => {
        if (periods.has(doc._id as string)) throw duplicate();
        periods.set(doc._id as string, { ...doc });
      }),
      find: (filter: Doc) => ({
        sort: () => ({ lean: () => op(() => [...periods.values()].filter((d) => matches(d, filter)).map((d) => ({ ...d }))) }),
      }),
      deleteOne: (filter: Doc) => op(() => {
        periods.delete(filter._id as string);
      }),
    },
    giverGates: {
      findById: (id: string) => ({ lean: () => op(() => (gates.has(id) ? { ...gates.get(id) } : null)) }),
      updateOne: (filter: Doc, update: { $inc: { v: number } }, options: { upsert: boolean }) => op(() => {
        const gate = gates.get(filter._id as string);
        if (gate && matches(gate, filter)) {
          gate.v = (gate.v as number) + update.$inc.v;
          return { modifiedCount: 1, upsertedCount: 0 };
        }
        // An upsert whose filter misses an existing gate inserts its _id again: a duplicate key.
        if (gate || !options.upsert) throw duplicate();
        gates.set(filter._id as string, { _id: filter._id, v: (filter.v as number) + update.$inc.v });
        return { modifiedCount: 0, upsertedCount: 1 };
      }),
    },
  };
  return { models: m as unknown as Models, kudos, periods };
}

function kudosDoc(n: number, createdAt: string, extra: Partial<KudosDoc> = {}): KudosDoc {
  return {
    _id: `k${String(n).padStart(3, '0')}`, giverId: 'ann', recipients: [{ userId: 'bob', team: 'Red' }], behaviourKeys: ['b1'],
    teams: ['Red'], message: 'Thanks', visibility: 'public', createdAt, idempotencyKey: null, reactions: [],
    removedAt: null, removedBy: null, removedReason: null, ...extra,
  };
}

const WINDOW = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
const inWindow = (n: number) => `2026-03-01T09:00:00.${String(n).padStart(3, '0')}Z`;

describe('mongo adapter: the allowance gate (no server needed)', () => {
  it('lets exactly the free slots through when many writes of one giver race, whatever the interleaving', async () => {
    for (const [writers, max, earlier] of [[8, 3, 0], [5, 5, 0], [6, 4, 2], [12, 4, 3]] as const) {
      for (let seed = 1; seed <= 12; seed++) {
        const { models, kudos } = fakeModels(seededRandom(seed * 101 + writers));
        for (let i = 0; i < earlier; i++) kudos.set(`old${i}`, { ...kudosDoc(900 + i, inWindow(900 + i)) });
        // Neither a removed kudos nor one outside the window takes a slot.
        kudos.set('removed', { ...kudosDoc(950, inWindow(950)), removedAt: inWindow(951) });
        kudos.set('before', { ...kudosDoc(960, '2026-02-28T23:59:59.999Z') });
        const allowance = { max, ...WINDOW };
        const results = await Promise.allSettled(
          Array.from({ length: writers }, (_, i) => insertWithinAllowance(models, kudosDoc(i, inWindow(i)), allowance)),
        );
        const label = `${writers} writers, ${max} allowed, ${earlier} used, seed ${seed}`;
        const free = max - earlier;
        expect(results.filter((r) => r.status === 'fulfilled'), label).to.have.length(Math.min(writers, free));
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason, label).to.be.instanceOf(AllowanceExhaustedError);
        }
        // Every loser of a race removed the kudos it had written before it lost.
        const live = [...kudos.values()].filter((d) => matches(d, { giverId: 'ann', removedAt: null, createdAt: { $gte: WINDOW.from, $lt: WINDOW.to } }));
        expect(live, label).to.have.length(earlier + Math.min(writers, free));
      }
    }
  });
});

describe('mongo adapter: period creation through the gate (no server needed)', () => {
  it('creates exactly one of several overlapping periods written at once, whatever the interleaving', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { models, periods } = fakeModels(seededRandom(seed * 37));
      const store = new MongoPeriods(models);
      // Each starts a day after the previous and lasts a month: every pair overlaps.
      const day = (n: number) => `2026-03-${String(n).padStart(2, '0')}T00:00:00.000Z`;
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          store.createPeriod({ id: `p${i}`, name: `P${i}`, startsAt: day(i + 1), endsAt: `2026-04-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`, createdAt: day(1) }),
        ),
      );
      const label = `seed ${seed}`;
      expect(results.filter((r) => r.status === 'fulfilled'), label).to.have.length(1);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason, label).to.be.instanceOf(PeriodOverlapError);
      }
      // Every loser of a race removed the period it had written before it lost.
      expect(periods.size, label).to.equal(1);
    }
  });
});
