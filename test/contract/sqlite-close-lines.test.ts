import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database from '../../src/store/sqlite/driver.js';
import { LATEST_SCHEMA_VERSION, migrate } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { at } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/** Migration 7 and the sqlite close: lines tagged with the close that staged them, stale ones swept. */
describe('sqlite store: lines of a close, tagged with its close id', () => {
  const dir = useTempDir('shine-close-lines-');

  it('reads a v6 close\'s snapshot and lines after migrating, and closes the next period the new way', async () => {
    const db = new Database(dir('shine.db'));
    migrate(db, at(0), 6);
    const period = db.prepare(`INSERT INTO periods (id, name, starts_at, ends_at, status, created_at, closed_at, closed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    period.run('jan', 'January', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 'open', at(0), null, null);
    period.run('old', 'December', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'open', at(0), null, null);
    period.run('feb', 'February', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 'open', at(0), null, null);
    // Closed as migration 6's closePeriod wrote it: flip, snapshot, one lines row per person, one transaction.
    const v6Close = db.transaction((id: string, data: unknown, lines: [string, unknown][]) => {
      db.prepare(`UPDATE periods SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'`).run(at(100), 'hr', id);
      db.prepare('INSERT INTO period_snapshots (period_id, closed_at, closed_by, data, csv, sha256) VALUES (?, ?, ?, ?, ?, ?)').run(
        id, at(100), 'hr', JSON.stringify(data), `csv of ${id}\r\n`, 'a'.repeat(64),
      );
      for (const [userId, own] of lines) db.prepare('INSERT INTO period_snapshot_lines (period_id, user_id, lines) VALUES (?, ?, ?)').run(id, userId, JSON.stringify(own));
    });
    const janLines: [string, unknown][] = [['u1', [{ kudosId: 'k1', giverName: 'Zoë 😀', points: 1.5 }]], ['u10', []]];
    v6Close('jan', { version: 2, tag: 'jan' }, janLines);
    // A version 1 snapshot (its lines inside data) has no lines rows.
    v6Close('old', { version: 1, tag: 'old' }, []);
    db.close();

    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    try {
      await store.init();
      expect((await store.diagnostics()).schemaVersion).to.equal(LATEST_SCHEMA_VERSION);
      expect(await store.getPeriodSnapshot('jan')).to.deep.equal({
        periodId: 'jan', closedAt: at(100), closedBy: 'hr', data: { version: 2, tag: 'jan' }, csv: 'csv of jan\r\n', sha256: 'a'.repeat(64),
      });
      expect(await store.periodSnapshotLines('jan')).to.deep.equal(new Map(janLines));
      expect(await store.periodSnapshotLines('jan', ['u10'])).to.deep.equal(new Map([['u10', []]]));
      expect((await store.getPeriodSnapshot('old'))?.data).to.deep.equal({ version: 1, tag: 'old' });
      expect(await store.periodSnapshotLines('old')).to.deep.equal(new Map());

      const feb = { periodId: 'feb', closedAt: at(200), closedBy: 'hr', data: { version: 2 }, csv: 'id\r\n', sha256: 'b'.repeat(64) };
      expect(await store.closePeriod(feb, [{ userId: 'u1', lines: [{ kudosId: 'k2' }] }])).to.equal(true);
      expect(await store.periodSnapshotLines('feb')).to.deep.equal(new Map([['u1', [{ kudosId: 'k2' }]]]));
      expect(await store.periodSnapshotLines('jan'), 'January untouched by February\'s close').to.deep.equal(new Map(janLines));
    } finally {
      await store.close();
    }
  });

  it('sweeps stale staged rows once their period is closed: by the winning close, and at start-up', async () => {
    const rows = (periodId: string) => {
      const db = new Database(dir('shine.db'), { readonly: true });
      try {
        return db.prepare('SELECT close_id AS closeId, user_id AS userId FROM period_snapshot_lines WHERE period_id = ? ORDER BY user_id').all(periodId) as { closeId: string; userId: string }[];
      } finally {
        db.close();
      }
    };
    const stage = (periodId: string, closeId: string, userId: string) => {
      const db = new Database(dir('shine.db'));
      try {
        db.prepare('INSERT INTO period_snapshot_lines (close_id, period_id, user_id, lines) VALUES (?, ?, ?, ?)').run(closeId, periodId, userId, '["stale"]');
      } finally {
        db.close();
      }
    };
    const snapshot = (periodId: string) => ({ periodId, closedAt: at(100), closedBy: 'hr', data: { version: 2 }, csv: 'id\r\n', sha256: 'c'.repeat(64) });
    let store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    try {
      await store.init();
      for (const [id, starts, ends] of [['jan', '2026-01-01', '2026-02-01'], ['feb', '2026-02-01', '2026-03-01']] as const) {
        await store.createPeriod({ id, name: id, startsAt: `${starts}T00:00:00.000Z`, endsAt: `${ends}T00:00:00.000Z`, createdAt: at(0) });
      }
      stage('jan', 'died-before', 'u9');
      expect(await store.closePeriod(snapshot('jan'), [{ userId: 'u1', lines: [1] }])).to.equal(true);
      const won = rows('jan');
      expect(won.map((r) => r.userId), 'the winner swept what a dead close left').to.deep.equal(['u1']);
      // Left after the winner's sweep (a loser that died), and a close under way on an open period.
      stage('jan', 'died-after', 'u8');
      stage('feb', 'under-way', 'u7');
      await store.close();
      store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
      await store.init();
      expect(rows('jan'), 'swept at start-up').to.deep.equal(won);
      expect(rows('feb'), 'an open period\'s rows are left alone').to.deep.equal([{ closeId: 'under-way', userId: 'u7' }]);
      expect(await store.periodSnapshotLines('jan')).to.deep.equal(new Map([['u1', [1]]]));
    } finally {
      await store.close();
    }
  });
});
