import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database from '../../src/store/sqlite/driver.js';
import type { FeedFilter } from '../../src/domain/types.js';
import { LATEST_SCHEMA_VERSION, migrate } from '../../src/store/sqlite/migrations.js';
import { feedQuery } from '../../src/store/sqlite/sqlite-feed.query.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { ALL, at, feedIds, own } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * Migration 8: the kudos child tables keyed (value, created_at, kudos_id), the order the feed
 * filters walk, with no second index each. Every read of them must still find its rows by key.
 */
describe('sqlite store: kudos child tables keyed by filter value (migration 8)', () => {
  const dir = useTempDir('shine-child-keys-');

  /** Rows as builds before migration 8 wrote them (schema v7). */
  function writeV7(): void {
    const db = new Database(dir('shine.db'));
    migrate(db, at(0), 7);
    const user = db.prepare(`INSERT INTO users (id, name, name_key, email, team, role, created_at, updated_at, seq)
      VALUES (?, ?, ?, ?, ?, 'employee', ?, ?, ?)`);
    [['u-a', 'Ada', 'Red'], ['u-b', 'Bo', 'Blue'], ['u-c', 'Cy', 'Blue']].forEach(([id, name, team], i) =>
      user.run(id, name, name?.toLowerCase(), `${id}@x.test`, team, at(0), at(0), i + 1));
    const behaviour = db.prepare(`INSERT INTO behaviours (key, grp, name, description, weight, active, seq) VALUES (?, 'G', ?, '', 1, 1, ?)`);
    [['care', 'Care'], ['craft', 'Craft']].forEach(([key, name], i) => behaviour.run(key, name, i + 1));
    const write = (id: string, giver: string, recipients: [string, string][], keys: string[], minute: number, removed: boolean) => {
      const teams = [...new Set(recipients.map(([, team]) => team))];
      const removedAt = removed ? at(minute + 1) : null;
      db.prepare(`INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids, behaviour_keys, removed_at)
        VALUES (?, ?, 'm', 'public', ?, ?, ?, ?, ?)`)
        .run(id, giver, at(minute), JSON.stringify(teams), recipients.map(([r]) => r).join('\x1f'), keys.join('\x1f'), removedAt);
      recipients.forEach(([r, team], i) => db.prepare(`INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at, removed_at)
        VALUES (?, ?, ?, ?, ?, ?)`).run(id, r, team, i, at(minute), removedAt));
      keys.forEach((key, i) => db.prepare(`INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at)
        VALUES (?, ?, ?, ?)`).run(id, key, i, at(minute)));
      for (const team of teams) db.prepare('INSERT INTO kudos_teams (kudos_id, team, created_at) VALUES (?, ?, ?)').run(id, team, at(minute));
    };
    write('K1', 'u-a', [['u-c', 'Blue'], ['u-b', 'Blue']], ['craft', 'care'], 1, false);
    write('K2', 'u-b', [['u-a', 'Red']], ['care'], 2, false);
    write('K3', 'u-c', [['u-a', 'Red']], ['craft'], 3, true);
    db.close();
  }

  it('keeps every child row, and every filter, record and count finds them after migrating', async () => {
    writeV7();
    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    try {
      await store.init();
      expect((await store.diagnostics()).schemaVersion).to.equal(LATEST_SCHEMA_VERSION);
      const check = new Database(dir('shine.db'), { readonly: true });
      try {
        const indexes = (check.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('kudos', 'kudos_recipients', 'kudos_behaviours', 'kudos_teams') AND sql IS NOT NULL ORDER BY name`)
          .all() as { name: string }[]).map((r) => r.name);
        expect(indexes).to.deep.equal(['kudos_by_giver', 'kudos_by_time', 'kudos_idempotency', 'kudos_recipients_by_time']);
        expect(check.prepare('SELECT user_id, created_at, kudos_id, team, position, removed_at FROM kudos_recipients ORDER BY kudos_id, position').all()).to.deep.equal([
          { user_id: 'u-c', created_at: at(1), kudos_id: 'K1', team: 'Blue', position: 0, removed_at: null },
          { user_id: 'u-b', created_at: at(1), kudos_id: 'K1', team: 'Blue', position: 1, removed_at: null },
          { user_id: 'u-a', created_at: at(2), kudos_id: 'K2', team: 'Red', position: 0, removed_at: null },
          { user_id: 'u-a', created_at: at(3), kudos_id: 'K3', team: 'Red', position: 0, removed_at: at(4) },
        ]);
        expect(check.prepare('SELECT COUNT(*) AS n FROM kudos_behaviours').get()).to.deep.equal({ n: 4 });
        expect(check.prepare('SELECT COUNT(*) AS n FROM kudos_teams').get()).to.deep.equal({ n: 3 });
        expect(check.pragma('foreign_key_check')).to.deep.equal([]);
      } finally {
        check.close();
      }

      const k1 = await store.getKudos('K1', null);
      expect(k1?.recipients.map((r) => `${r.id}/${r.name}/${r.team}`)).to.deep.equal(['u-c/Cy/Blue', 'u-b/Bo/Blue']);
      expect(k1?.behaviours).to.deep.equal([{ key: 'craft', name: 'Craft' }, { key: 'care', name: 'Care' }]);
      expect(await feedIds(store, { viewer: ALL, recipientId: 'u-a' })).to.deep.equal(['K2']);
      expect(await feedIds(store, { viewer: ALL, team: 'Blue' })).to.deep.equal(['K1']);
      expect(await feedIds(store, { viewer: ALL, behaviourKey: 'care' })).to.deep.equal(['K2', 'K1']);
      expect(await feedIds(store, { viewer: ALL, behaviourKey: 'craft', team: 'Blue', recipientId: 'u-b' })).to.deep.equal(['K1']);
      expect(await store.userCounts('u-a', own('u-a'))).to.deep.equal({
        receivedTotal: 1, givenTotal: 1,
        receivedByBehaviour: [{ key: 'care', name: 'Care', count: 1 }],
        givenByBehaviour: [{ key: 'care', name: 'Care', count: 1 }, { key: 'craft', name: 'Craft', count: 1 }],
      });
      const board = await store.leaderboard({ from: at(0), to: at(10), by: 'recipient', behaviourKey: 'care', limit: 10 });
      expect(board.map((r) => `${r.id}:${r.count}`)).to.deep.equal(['u-a:1', 'u-b:1', 'u-c:1']);

      // Removing a kudos written before the migration takes its recipients out of the rankings.
      await store.removeKudos('K2', { by: 'u-a', reason: null, at: at(5) });
      const after = await store.leaderboard({ from: at(0), to: at(10), by: 'recipient', limit: 10 });
      expect(after.map((r) => `${r.id}:${r.count}`)).to.deep.equal(['u-b:1', 'u-c:1']);
    } finally {
      await store.close();
    }
  });

  it('walks each filter on its table\'s primary key and probes the others by their whole key', async () => {
    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    await store.init();
    await store.close();
    const db = new Database(dir('shine.db'), { readonly: true });
    try {
      const plan = (filter: Omit<FeedFilter, 'viewer'>) => {
        const { sql, params } = feedQuery({ viewer: own('u-a'), ...filter }, 'newest', { key: at(9), id: 'Z' }, 21);
        return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
      };
      const filters: Omit<FeedFilter, 'viewer'>[] = [
        { recipientId: 'u-b', team: 'Blue', behaviourKey: 'care' },
        { team: 'Blue', behaviourKey: 'care' },
        { behaviourKey: 'care', recipientId: 'u-b' },
        {},
      ];
      for (const f of filters) {
        const p = plan(f);
        // A SCAN, or a probe on part of the key, would read many child rows per kudos of the page.
        expect(p, JSON.stringify(f)).not.to.match(/SCAN (x|child)\b/);
        for (const line of p.split('\n').filter((l) => /SEARCH child\b/.test(l))) {
          expect(line, JSON.stringify(f)).to.match(/USING PRIMARY KEY \(\w+=\? AND created_at=\? AND kudos_id=\?\)$/);
        }
        const driver = p.split('\n').filter((l) => /SEARCH x\b/.test(l));
        expect(driver, JSON.stringify(f)).to.have.length(Object.keys(f).length === 0 ? 0 : 1);
        for (const line of driver) expect(line).to.match(/USING PRIMARY KEY \(\w+=\? AND \(created_at,kudos_id\)<\(\?,\?\)\)$/);
      }
    } finally {
      db.close();
    }
  });
});
