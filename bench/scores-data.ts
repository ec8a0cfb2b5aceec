/**
 * Builds the benchmark database for bench/scores.ts: 10,000 people, a behaviour catalog and one
 * period holding 1,000,000 kudos, deterministic (seeded) so runs are comparable.
 *
 * Everything goes through the Store API. Kudos are submitted a thousand at a time without
 * awaiting each one, so the sqlite adapter's group commit writes each thousand in one
 * transaction, as it would under heavy concurrent posting.
 */
import { newId } from '../src/domain/ids.js';
import type { Behaviour, NewKudos, Period } from '../src/domain/types.js';
import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
import { seededRandom } from '../test/support/seeded-random.js';

export interface BenchShape {
  people: number;
  teams: number;
  kudos: number;
}

export interface Generated {
  periodId: string;
  pairs: number;
  kudos: number;
}

const GROUPS = ['Make the Customer #1', 'Appropriate Attitude', 'Determine Customer Needs', 'Build Relationships', 'Effective Problem Resolution'];

const userId = (i: number) => `u${String(i).padStart(5, '0')}`;

/** Writes the data set into a fresh sqlite file and returns the period to score. */
export async function generate(file: string, shape: BenchShape, log: (msg: string) => void): Promise<Generated> {
  const random = seededRandom(20260301);
  const pick = (n: number) => Math.floor(random() * n);
  const store = new SqliteStore({ file, synchronous: 'NORMAL' });
  await store.init();
  const behaviours: Behaviour[] = Array.from({ length: 20 }, (_, i) => ({
    key: `behaviour-${i}`, group: GROUPS[i % GROUPS.length] ?? 'Other', name: `Behaviour ${i}`,
    description: 'Generated for the benchmark.', weight: [1, 1, 1, 1.5, 2, 0.5][i % 6] ?? 1, active: true,
  }));
  for (const b of behaviours) await store.createBehaviour(b);
  const teamSize = Math.ceil(shape.people / shape.teams);
  const teamOf = (i: number) => `Team ${String(Math.floor(i / teamSize)).padStart(3, '0')}`;
  for (let i = 0; i < shape.people; i++) {
    const lead = Math.floor(i / teamSize) * teamSize;
    await store.createUser({
      id: userId(i), name: `Person ${i}`, email: `${userId(i)}@bench.test`, team: teamOf(i),
      role: i === lead ? 'manager' : 'employee', managerId: i === lead ? null : userId(lead), passwordHash: null,
      createdAt: '2025-12-01T00:00:00.000Z',
    });
  }
  log(`${shape.people} people in ${shape.teams} teams`);
  const startsAt = Date.parse('2026-01-01T00:00:00.000Z');
  const endsAt = Date.parse('2026-02-01T00:00:00.000Z');
  const period: Period = await store.createPeriod({
    id: newId(startsAt), name: 'January 2026', startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(), createdAt: new Date(startsAt).toISOString(),
  });

  // Mostly solo kudos, mostly within the giver's team, 1 to 3 behaviours.
  const makeKudos = (i: number): NewKudos => {
    const ms = startsAt + Math.floor((i * (endsAt - startsAt - 1)) / shape.kudos);
    const giver = pick(shape.people);
    const r = random();
    const n = r < 0.85 ? 1 : r < 0.95 ? 2 : r < 0.99 ? 3 : 5;
    const recipients = new Set<number>();
    while (recipients.size < n) {
      const sameTeam = random() < 0.7;
      const cand = sameTeam ? Math.floor(giver / teamSize) * teamSize + pick(teamSize) : pick(shape.people);
      if (cand !== giver && cand < shape.people) recipients.add(cand);
    }
    const keys = new Set<string>();
    const nb = 1 + pick(3);
    while (keys.size < nb) keys.add(behaviours[pick(behaviours.length)]?.key ?? 'behaviour-0');
    const ids = [...recipients];
    return {
      id: newId(ms), giverId: userId(giver), recipientIds: ids.map(userId), behaviourKeys: [...keys],
      message: 'Took ownership of a tricky customer problem and kept them informed.', visibility: random() < 0.9 ? 'public' : 'private',
      createdAt: new Date(ms).toISOString(), teams: [...new Set([giver, ...ids].map(teamOf))], idempotencyKey: null,
    };
  };
  let pairs = 0;
  const BATCH = 1000;
  for (let from = 0; from < shape.kudos; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, shape.kudos - from) }, (_, j) => makeKudos(from + j));
    await Promise.all(batch.map((k) => store.createKudos(k)));
    for (const k of batch) pairs += k.recipientIds.length;
    if ((from + BATCH) % 100_000 === 0) log(`${from + BATCH} kudos`);
  }
  await store.close();
  return { periodId: period.id, pairs, kudos: shape.kudos };
}
