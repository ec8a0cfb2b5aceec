import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import Database from '../../src/store/sqlite/driver.js';
import { WalIndexProbe } from '../../src/store/sqlite/wal-index-probe.js';

/**
 * The probe may say "changed" when nothing changed (the caller then asks SQLite), never the
 * reverse: every commit by any connection must show.
 */
describe('WalIndexProbe: has anyone committed since the last look?', () => {
  let dir: string;
  let file: string;
  let own: Db;
  let other: Db;
  let probe: WalIndexProbe;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shine-probe-'));
    file = join(dir, 'probe.db');
    own = new Database(file);
    own.pragma('journal_mode = WAL');
    own.exec('CREATE TABLE t (n INTEGER)');
    other = new Database(file);
    probe = new WalIndexProbe(file);
  });
  afterEach(() => {
    probe.close();
    other.close();
    own.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (db: Db) => db.prepare('INSERT INTO t (n) VALUES (1)').run();

  it('says changed at the first look, then unchanged while nobody commits', () => {
    expect(probe.changed()).to.equal(true);
    expect(probe.changed()).to.equal(false);
    own.prepare('SELECT COUNT(*) FROM t').get();
    other.prepare('SELECT COUNT(*) FROM t').get();
    expect(probe.changed(), 'reads are not commits').to.equal(false);
  });

  it('sees every single commit by another connection and by its own', () => {
    probe.changed();
    for (let i = 0; i < 200; i++) {
      insert(i % 2 === 0 ? other : own);
      expect(probe.changed(), `commit ${i + 1}`).to.equal(true);
      expect(probe.changed(), `after commit ${i + 1}`).to.equal(false);
    }
  });

  it('sees a commit that starts the WAL over after a checkpoint emptied it', () => {
    insert(other);
    probe.changed();
    other.pragma('wal_checkpoint(TRUNCATE)');
    probe.changed();
    insert(other);
    expect(probe.changed()).to.equal(true);
  });

  it('always says changed without a WAL index to read', () => {
    const plain = join(dir, 'plain.db');
    const db = new Database(plain);
    db.exec('CREATE TABLE t (n INTEGER)');
    const blind = new WalIndexProbe(plain);
    try {
      expect([blind.changed(), blind.changed(), blind.changed()]).to.deep.equal([true, true, true]);
    } finally {
      blind.close();
      db.close();
    }
  });
});
