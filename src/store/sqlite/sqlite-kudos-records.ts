import type { KudosRecord, PersonRef, Visibility } from '../../domain/types.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';

/** The kudos columns a record is built from; select them as `FROM kudos k`. */
export const KUDOS_COLUMNS = 'k.id, k.giver_id, k.message, k.visibility, k.created_at, k.teams, k.removed_at';

export interface KudosRow {
  id: string;
  giver_id: string;
  message: string;
  visibility: Visibility;
  created_at: string;
  teams: string;
  removed_at: string | null;
}

export interface PersonRow {
  id: string;
  name: string;
  team: string;
}

interface RecipientRow extends PersonRow {
  kudos_id: string;
}

interface BehaviourRow {
  kudos_id: string;
  key: string;
  name: string;
}

interface ReactionRow {
  kudos_id: string;
  emoji: string;
  n: number;
  mine: number | null;
}

const IDS = '(SELECT value FROM json_each(?))';

const SQL = {
  givers: `SELECT id, name, team FROM users WHERE id IN ${IDS}`,
  recipients: `SELECT r.kudos_id, u.id, u.name, u.team FROM kudos_recipients r JOIN users u ON u.id = r.user_id
    WHERE r.kudos_id IN ${IDS} ORDER BY r.kudos_id, r.position`,
  behaviours: `SELECT kb.kudos_id, kb.behaviour_key AS key, COALESCE(b.name, kb.behaviour_key) AS name
    FROM kudos_behaviours kb LEFT JOIN behaviours b ON b.key = kb.behaviour_key
    WHERE kb.kudos_id IN ${IDS} ORDER BY kb.kudos_id, kb.position`,
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
 * Builds full records for a page of kudos rows, in the rows' order, with five batched queries
 * whatever the page size (never one query per kudos). People show their current name and team.
 */
export function hydrateKudos(d: SqliteDb, rows: readonly KudosRow[], viewerId: string | null): KudosRecord[] {
  if (rows.length === 0) return [];
  const ids = jsonList(rows.map((r) => r.id));
  const giverIds = jsonList([...new Set(rows.map((r) => r.giver_id))]);
  const givers = new Map(d.all<PersonRow>(SQL.givers, giverIds).map((p) => [p.id, p]));
  const recipients = groupBy(d.all<RecipientRow>(SQL.recipients, ids));
  const behaviours = groupBy(d.all<BehaviourRow>(SQL.behaviours, ids));
  const reactions = groupBy(d.all<ReactionRow>(SQL.reactions, viewerId, ids));
  const comments = new Map(d.all<{ kudos_id: string; n: number }>(SQL.comments, ids).map((c) => [c.kudos_id, c.n]));

  return rows.map((r): KudosRecord => {
    const giver = givers.get(r.giver_id);
    const counts: Record<string, number> = {};
    const mine: string[] = [];
    for (const x of reactions.get(r.id) ?? []) {
      counts[x.emoji] = x.n;
      if (x.mine === 1) mine.push(x.emoji);
    }
    return {
      id: r.id,
      giver: person(giver ?? { id: r.giver_id, name: '', team: '' }),
      recipients: (recipients.get(r.id) ?? []).map(person),
      behaviours: (behaviours.get(r.id) ?? []).map((b) => ({ key: b.key, name: b.name })),
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

/** A person as kudos records show them. */
export function person(p: PersonRow): PersonRef {
  return { id: p.id, name: p.name, team: p.team };
}
