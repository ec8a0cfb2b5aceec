import type { KudosRecord, PersonRef, Visibility } from '../../domain/types.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';
import { splitList } from './sqlite-id-lists.js';

/** The kudos columns a record is built from; select them as `FROM kudos k`. */
export const KUDOS_COLUMNS =
  'k.id, k.giver_id, k.message, k.visibility, k.created_at, k.teams, k.recipient_ids, k.behaviour_keys, k.removed_at';

export interface KudosRow {
  id: string;
  giver_id: string;
  message: string;
  visibility: Visibility;
  created_at: string;
  teams: string;
  /** In the order the giver named them (sqlite-id-lists.ts). */
  recipient_ids: string;
  behaviour_keys: string;
  removed_at: string | null;
}

export interface PersonRow {
  id: string;
  name: string;
  team: string;
}

interface ReactionRow {
  kudos_id: string;
  emoji: string;
  n: number;
  mine: number | null;
}

const IDS = '(SELECT value FROM json_each(?))';

const SQL = {
  people: `SELECT id, name, team FROM users WHERE id IN ${IDS}`,
  behaviours: `SELECT key, name FROM behaviours WHERE key IN ${IDS}`,
  // Emojis in the order they were first used on each kudos, so the UI does not reshuffle them.
  reactions: `SELECT kudos_id, emoji, COUNT(*) AS n, MAX(user_id = ?) AS mine FROM reactions
    WHERE kudos_id IN ${IDS} GROUP BY kudos_id, emoji ORDER BY kudos_id, MIN(created_at), emoji`,
  comments: `SELECT kudos_id, COUNT(*) AS n FROM comments WHERE kudos_id IN ${IDS} GROUP BY kudos_id`,
};

function groupBy<T extends { kudos_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.kudos_id);
    if (list) list.push(r);
    else out.set(r.kudos_id, [r]);
  }
  return out;
}

/**
 * Builds full records for a page of kudos rows, in the rows' order, with four batched queries
 * whatever the page size (never one query per kudos). Recipients and behaviours come from the
 * kudos row's own lists, in the giver's order; people show their current name and team.
 */
export function hydrateKudos(d: SqliteDb, rows: readonly KudosRow[], viewerId: string | null): KudosRecord[] {
  if (rows.length === 0) return [];
  const ids = jsonList(rows.map((r) => r.id));
  const recipientIds = rows.map((r) => splitList(r.recipient_ids));
  const behaviourKeys = rows.map((r) => splitList(r.behaviour_keys));
  const personIds = new Set(rows.map((r) => r.giver_id));
  for (const list of recipientIds) for (const id of list) personIds.add(id);
  const people = new Map(d.all<PersonRow>(SQL.people, jsonList([...personIds])).map((p) => [p.id, p]));
  const personOf = (id: string) => person(people.get(id) ?? { id, name: '', team: '' });
  const names = behaviourNames(d, new Set(behaviourKeys.flat()));
  const reactions = groupBy(d.all<ReactionRow>(SQL.reactions, viewerId, ids));
  const comments = new Map(d.all<{ kudos_id: string; n: number }>(SQL.comments, ids).map((c) => [c.kudos_id, c.n]));

  return rows.map((r, i): KudosRecord => {
    const counts: Record<string, number> = {};
    const mine: string[] = [];
    for (const x of reactions.get(r.id) ?? []) {
      counts[x.emoji] = x.n;
      if (x.mine === 1) mine.push(x.emoji);
    }
    return {
      id: r.id,
      giver: personOf(r.giver_id),
      recipients: (recipientIds[i] ?? []).map(personOf),
      behaviours: (behaviourKeys[i] ?? []).map((key) => ({ key, name: names.get(key) ?? key })),
      message: r.message,
      visibility: r.visibility,
      createdAt: r.created_at,
      teams: JSON.parse(r.teams) as string[],
      reactions: counts,
      myReactions: mine,
      commentCount: comments.get(r.id) ?? 0,
      removedAt: r.removed_at,
    };
  });
}

/** The catalog's current name of each of these behaviour keys (a key not in it is left out). */
export function behaviourNames(d: SqliteDb, keys: ReadonlySet<string>): Map<string, string> {
  return new Map(d.all<{ key: string; name: string }>(SQL.behaviours, jsonList([...keys])).map((b) => [b.key, b.name]));
}

/** A person as kudos records show them. */
export function person(p: PersonRow): PersonRef {
  return { id: p.id, name: p.name, team: p.team };
}
