import { AllowanceExhaustedError, KudosRateLimitedError } from '../../domain/errors.js';
import type { KudosRecord, NewKudos } from '../../domain/types.js';
import type { KudosWriteOptions } from '../store.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';
import { uniqueConflict } from './sqlite-errors.js';
import { joinList } from './sqlite-id-lists.js';
import { person, type PersonRow } from './sqlite-kudos-records.js';
import { scoreRefs } from './sqlite-score-refs.js';

/** One createKudos call: what the writer (this thread's or the writer thread's) commits. */
export interface KudosWrite {
  k: NewKudos;
  options?: KudosWriteOptions | undefined;
}

const SQL = {
  keyUsed: 'SELECT 1 AS hit FROM kudos WHERE giver_id = ? AND idempotency_key = ?',
  givenInWindow: `SELECT COUNT(*) AS n FROM kudos
    WHERE giver_id = ? AND created_at >= ? AND created_at < ? AND removed_at IS NULL`,
  postedInWindow: `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM kudos
    WHERE giver_id = ? AND created_at >= ? AND created_at < ?`,
  people: 'SELECT id, name, team, seq FROM users WHERE id IN (SELECT value FROM json_each(?))',
  behaviours: 'SELECT key, name, seq FROM behaviours WHERE key IN (SELECT value FROM json_each(?))',
  insertKudos: `INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids,
    behaviour_keys, idempotency_key, score_refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertRecipient: `INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at)
    VALUES (?, ?, ?, ?, ?)`,
  insertBehaviour: 'INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at) VALUES (?, ?, ?, ?)',
  insertTeam: 'INSERT OR IGNORE INTO kudos_teams (kudos_id, team, created_at) VALUES (?, ?, ?)',
};

/**
 * The checks and inserts of one kudos; runs inside a transaction (a SAVEPOINT of a group
 * commit), so the checks and the rows are one atomic step. Returns the new kudos as reading it
 * back would (see hydrateKudos), built from the rows this transaction read and wrote.
 */
export function insertKudos(d: SqliteDb, { k, options }: KudosWrite): KudosRecord {
  // Duplicates would break the (kudos, user) keys; the first mention keeps its position.
  const recipientIds = [...new Set(k.recipientIds)];
  const behaviourKeys = [...new Set(k.behaviourKeys)];
  if (k.idempotencyKey !== null && d.get(SQL.keyUsed, k.giverId, k.idempotencyKey)) {
    throw uniqueConflict('kudos.giver_id, kudos.idempotency_key');
  }
  const rate = options?.rate;
  if (rate) {
    const r = d.get<{ n: number; oldest: string | null }>(SQL.postedInWindow, k.giverId, rate.from, rate.to);
    if (r && r.n >= rate.max) throw new KudosRateLimitedError(rate.max, rate, r.oldest ?? rate.from);
  }
  const allowance = options?.allowance;
  if (allowance) {
    const used = d.get<{ n: number }>(SQL.givenInWindow, k.giverId, allowance.from, allowance.to)?.n ?? 0;
    if (used >= allowance.max) throw new AllowanceExhaustedError(allowance.max, used);
  }
  const people = new Map(
    d.all<PersonWithSeq>(SQL.people, jsonList([k.giverId, ...recipientIds])).map((u) => [u.id, u]),
  );
  const behaviours = new Map(
    d.all<BehaviourRow>(SQL.behaviours, jsonList(behaviourKeys)).map((b) => [b.key, b]),
  );
  const refs = scoreRefs(
    people.get(k.giverId)?.seq, recipientIds.map((id) => people.get(id)?.seq), behaviourKeys.map((key) => behaviours.get(key)?.seq),
  );
  d.run(
    SQL.insertKudos, k.id, k.giverId, k.message, k.visibility, k.createdAt, JSON.stringify(k.teams),
    joinList(recipientIds), joinList(behaviourKeys), k.idempotencyKey, refs,
  );
  // An unknown recipient has no team; the foreign key then rejects the row.
  recipientIds.forEach((id, i) => d.run(SQL.insertRecipient, k.id, id, people.get(id)?.team ?? '', i, k.createdAt));
  behaviourKeys.forEach((key, i) => d.run(SQL.insertBehaviour, k.id, key, i, k.createdAt));
  for (const team of k.teams) d.run(SQL.insertTeam, k.id, team, k.createdAt);
  // Every person and behaviour was found: the foreign keys would have refused the rows otherwise.
  const personOf = (id: string) => person(people.get(id) ?? { id, name: '', team: '' });
  return {
    id: k.id,
    giver: personOf(k.giverId),
    recipients: recipientIds.map(personOf),
    behaviours: behaviourKeys.map((key) => ({ key, name: behaviours.get(key)?.name ?? key })),
    message: k.message,
    visibility: k.visibility,
    createdAt: k.createdAt,
    teams: [...k.teams],
    reactions: {},
    myReactions: [],
    commentCount: 0,
    removedAt: null,
  };
}

interface PersonWithSeq extends PersonRow {
  seq: number | null;
}

interface BehaviourRow {
  key: string;
  name: string;
  seq: number | null;
}
