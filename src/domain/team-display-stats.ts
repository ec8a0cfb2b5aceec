import type { Deps } from './deps.js';
import { monthRange } from './insight.js';
import type { Cursor, PersonRef } from './types.js';

const PAGE = 500;
const TOP = 5;

/**
 * A team wall's strip: this month's totals over the kudos its feed shows (those its team's people
 * gave or received, public only). The whole company's totals, most thanked people and teams used
 * to sit under one team's feed, and a team wall still waiting for its first kudos said "42 kudos
 * given". Read from the feed's own index, a page at a time: one team's month is small, and the
 * route caches the answer for every wall of that team.
 */
export async function teamDisplayStats(deps: Deps, team: string) {
  const { from, to } = monthRange(deps.clock.now());
  const active = new Map((await deps.store.listBehaviours()).filter((b) => b.active).map((b) => [b.key, b.name]));
  const behaviours = new Map<string, number>();
  const recipients = new Map<string, { person: PersonRef; count: number }>();
  let kudosCount = 0;
  let after: Cursor = { key: from, id: '' };
  for (;;) {
    const page = await deps.store.kudosAfter({ viewer: { userId: null, privateAccess: 'none' }, team }, after, PAGE);
    const inMonth = page.filter((k) => k.createdAt < to);
    for (const k of inMonth) {
      kudosCount++;
      for (const b of k.behaviours) if (active.has(b.key)) behaviours.set(b.key, (behaviours.get(b.key) ?? 0) + 1);
      for (const r of k.recipients) recipients.set(r.id, { person: r, count: (recipients.get(r.id)?.count ?? 0) + 1 });
    }
    const last = page[page.length - 1];
    if (!last || page.length < PAGE || inMonth.length < page.length) break;
    after = { key: last.createdAt, id: last.id };
  }
  return {
    team,
    from,
    to,
    kudosCount,
    topBehaviours: [...behaviours]
      .map(([key, count]) => ({ key, name: active.get(key) as string, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .slice(0, TOP),
    topRecipients: [...recipients.values()]
      .sort((a, b) => b.count - a.count || a.person.name.localeCompare(b.person.name) || a.person.id.localeCompare(b.person.id))
      .slice(0, TOP)
      .map(({ person, count }) => ({ id: person.id, name: person.name, team: person.team, count })),
    // One team: a "Teams" slide would rank that team alone.
    teams: [] as { team: string; count: number }[],
  };
}
