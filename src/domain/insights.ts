/**
 * GET /periods/:id/insights: where recognition is thin. Counts kudos, not score points, because
 * the question is "who is being seen", not "who earns a bonus".
 */
import type { Store } from '../store/store.js';
import { comparePeople } from './payroll-csv.js';
import type { ScoreScope } from './periods.js';
import { compareStrings } from './scoring-order.js';
import type { Period, PersonRef, User } from './types.js';

export interface TeamInsight {
  team: string;
  /** Active people in the team (within the caller's scope). */
  people: number;
  /** (kudos, recipient) pairs received by those people. */
  kudosReceived: number;
  /** How many of them received at least one kudos. */
  recipients: number;
  /** Inequality of per-person received counts: 0 = perfectly even, towards 1 = one person gets it all. */
  gini: number;
}

export interface Insights {
  period: Pick<Period, 'id' | 'name' | 'startsAt' | 'endsAt' | 'status'>;
  receivedNothing: PersonRef[];
  gaveNothing: PersonRef[];
  byTeam: TeamInsight[];
  /** Received kudos naming at least one behaviour of the group; every catalog group listed. */
  byBehaviourGroup: { group: string; count: number }[];
}

/** Group for a behaviour key that is missing from the catalog (should not happen; keys are never deleted). */
const UNKNOWN_GROUP = 'Other';

/**
 * Gini coefficient of non-negative values, rounded to 3 decimals. All zero (or fewer than two
 * people) counts as even: 0.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  const sorted = [...values].sort((a, b) => a - b);
  let total = 0;
  let weighted = 0;
  sorted.forEach((x, i) => {
    total += x;
    weighted += (i + 1) * x;
  });
  if (n < 2 || total === 0) return 0;
  const g = (2 * weighted) / (n * total) - (n + 1) / n;
  return Math.round(g * 1000) / 1000;
}

/**
 * Insights for the active people in `scope` (hr: 'all'; a manager: their team's ids). Always
 * computed from live data, closed periods included: only scores and the CSV are frozen.
 */
export async function periodInsights(store: Store, period: Period, scope: ScoreScope): Promise<Insights> {
  const [users, behaviours, given] = await Promise.all([
    store.allUsers(),
    store.listBehaviours(),
    store.givenCounts(period.startsAt, period.endsAt),
  ]);
  const people = users.filter((u) => u.active && (scope === 'all' || scope.has(u.id))).sort(comparePeople);
  const inScope = new Set(people.map((p) => p.id));
  const groupOf = new Map(behaviours.map((b) => [b.key, b.group]));
  const byGroup = new Map<string, number>(behaviours.map((b) => [b.group, 0]));
  const received = new Map<string, number>();
  for await (const b of store.periodPairBatches(period.startsAt, period.endsAt)) {
    const counted = b.people.map((id) => inScope.has(id));
    // A kudos naming two behaviours of one group counts once for that group.
    const groupsOf = b.behaviourLists.map((keys) => [...new Set(keys.map((key) => groupOf.get(key) ?? UNKNOWN_GROUP))]);
    for (let k = 0; k < b.kudosCount; k++) {
      const groups = groupsOf[b.behaviours[k]!]!;
      for (let p = b.firstPair[k]!; p < b.firstPair[k + 1]!; p++) {
        const r = b.recipient[p]!;
        if (!counted[r]) continue;
        const id = b.people[r]!;
        received.set(id, (received.get(id) ?? 0) + 1);
        for (const group of groups) byGroup.set(group, (byGroup.get(group) ?? 0) + 1);
      }
    }
  }
  return {
    period: { id: period.id, name: period.name, startsAt: period.startsAt, endsAt: period.endsAt, status: period.status },
    receivedNothing: people.filter((p) => !received.has(p.id)).map(ref),
    gaveNothing: people.filter((p) => !given.get(p.id)).map(ref),
    byTeam: teams(people, received),
    byBehaviourGroup: [...byGroup]
      .map(([group, count]) => ({ group, count }))
      .sort((a, b) => b.count - a.count || compareStrings(a.group, b.group)),
  };
}

function ref(u: User): PersonRef {
  return { id: u.id, name: u.name, team: u.team };
}

function teams(people: readonly User[], received: ReadonlyMap<string, number>): TeamInsight[] {
  const counts = new Map<string, number[]>();
  for (const p of people) {
    const list = counts.get(p.team) ?? [];
    list.push(received.get(p.id) ?? 0);
    counts.set(p.team, list);
  }
  // `people` is sorted by team already, so the map's insertion order is the report order.
  return [...counts].map(([team, values]) => ({
    team,
    people: values.length,
    kudosReceived: values.reduce((s, v) => s + v, 0),
    recipients: values.filter((v) => v > 0).length,
    gini: gini(values),
  }));
}
