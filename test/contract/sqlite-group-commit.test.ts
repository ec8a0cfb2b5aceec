import { expect } from 'chai';
import { openDatabase, SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { GroupCommit } from '../../src/store/sqlite/sqlite-group-commit.js';
import { useTempDir } from '../support/temp-dir.js';

/**
 * One batch, one transaction, and each write still atomic on its own. The writes run without a
 * SAVEPOINT each unless one fails after it started writing (see GroupCommit.runBatch); these
 * cases pin down that a failure never takes its neighbours with it nor leaves half of itself.
 */
describe('sqlite group commit: a failing write fails alone', () => {
  let d: SqliteDb;
  const dir = useTempDir('shine-group-', () => d.close());

  /** A write of one parent row and two child rows; `fail` says where it throws. */
  interface Write {
    id: string;
    fail?: 'before-writing' | 'between-rows' | 'constraint';
  }
  const writer = () =>
    new GroupCommit<Write, string>(d, ({ id, fail }) => {
      if (fail === 'before-writing') throw new Error(`refused ${id}`);
      d.run('INSERT INTO parent (id) VALUES (?)', id);
      d.run('INSERT INTO child (parent, n) VALUES (?, 1)', id);
      if (fail === 'between-rows') throw new Error(`broke ${id}`);
      // The same child twice breaks the primary key in the statement itself.
      d.run('INSERT INTO child (parent, n) VALUES (?, ?)', id, fail === 'constraint' ? 1 : 2);
      return id;
    });
  const rows = () => ({
    parents: d.all<{ id: string }>('SELECT id FROM parent ORDER BY id').map((r) => r.id),
    children: d.all<{ c: string }>("SELECT parent || '.' || n AS c FROM child ORDER BY parent, n").map((r) => r.c),
  });

  beforeEach(() => {
    const file = dir('group.db');
    d = new SqliteDb(openDatabase(file, 'NORMAL'), file);
    d.db.exec('CREATE TABLE parent (id TEXT PRIMARY KEY); CREATE TABLE child (parent TEXT, n INTEGER, PRIMARY KEY (parent, n))');
  });

  for (const fail of ['before-writing', 'between-rows', 'constraint'] as const) {
    it(`commits the others and nothing of a write that fails ${fail}`, async () => {
      const w = writer();
      const results = await Promise.allSettled([
        w.submit({ id: 'a' }),
        w.submit({ id: 'b', fail }),
        w.submit({ id: 'c' }),
      ]);
      expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
      expect(rows()).to.deep.equal({ parents: ['a', 'c'], children: ['a.1', 'a.2', 'c.1', 'c.2'] });
    });
  }

  it('keeps each result and error with its own write when several fail in one batch', async () => {
    const w = writer();
    const results = await Promise.allSettled([
      w.submit({ id: 'a', fail: 'before-writing' }),
      w.submit({ id: 'b' }),
      w.submit({ id: 'c', fail: 'between-rows' }),
      w.submit({ id: 'd' }),
      w.submit({ id: 'e', fail: 'constraint' }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message.split(':')[0]))).to.deep.equal([
      'refused a', 'b', 'broke c', 'd', 'UNIQUE constraint failed',
    ]);
    expect(rows()).to.deep.equal({ parents: ['b', 'd'], children: ['b.1', 'b.2', 'd.1', 'd.2'] });
  });
});
