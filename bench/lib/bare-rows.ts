import type { Db } from '../../src/store/sqlite/driver.js';

/** A kudos as the bare baselines write it: the same rows Shine writes, nothing checked. */
export interface BareKudos {
  id: string;
  giverId: string;
  recipientIds: string[];
  behaviourKeys: string[];
  message: string;
  createdAt: string;
  teams: string[];
}

/**
 * The rows of a batch of kudos, written with plain prepared INSERTs into Shine's schema in one
 * transaction: the kudos row, its recipient, behaviour and team rows, so every index a commit
 * touches is the one Shine's write touches. No rate limit, no lookups, no idempotency check.
 * Shared by bench/lib/bare-kudos.ts (HTTP) and bench/writer.ts (the writer alone).
 */
export function bareRowWriter(db: Db, teamOf: (userId: string) => string): (batch: readonly BareKudos[]) => void {
  const insert = {
    kudos: db.prepare(`INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids,
      behaviour_keys, idempotency_key, score_refs) VALUES (?, ?, ?, 'public', ?, ?, ?, ?, NULL, NULL)`),
    recipient: db.prepare('INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at) VALUES (?, ?, ?, ?, ?)'),
    behaviour: db.prepare('INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at) VALUES (?, ?, ?, ?)'),
    team: db.prepare('INSERT OR IGNORE INTO kudos_teams (kudos_id, team, created_at) VALUES (?, ?, ?)'),
  };
  return db.transaction((batch: readonly BareKudos[]) => {
    for (const k of batch) {
      insert.kudos.run(k.id, k.giverId, k.message, k.createdAt, JSON.stringify(k.teams), k.recipientIds.join(','), k.behaviourKeys.join(','));
      k.recipientIds.forEach((r, i) => insert.recipient.run(k.id, r, teamOf(r), i, k.createdAt));
      k.behaviourKeys.forEach((b, i) => insert.behaviour.run(k.id, b, i, k.createdAt));
      for (const t of k.teams) insert.team.run(k.id, t, k.createdAt);
    }
  });
}
