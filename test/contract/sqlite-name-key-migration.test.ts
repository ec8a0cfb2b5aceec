import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database from '../../src/store/sqlite/driver.js';
import { LATEST_SCHEMA_VERSION, migrate } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { at, collectPages } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/** Migration 5: name_key re-keyed with the accent-folding nameKey(). */
describe('sqlite store: migration 5 re-keys names for accent-insensitive search', () => {
  const dir = useTempDir('shine-name-key-');

  it('recomputes name_key of existing rows, so old users are found and sorted without accents', async () => {
    const db = new Database(dir('shine.db'));
    migrate(db, at(0), 4);
    // Rows as the previous build wrote them: name_key = name.toLowerCase().
    const insert = db.prepare(`INSERT INTO users (id, name, name_key, email, team, role, created_at, updated_at, seq)
      VALUES (?, ?, ?, ?, 'T', 'employee', ?, ?, ?)`);
    const names = ['Zed', 'Émile Zola', 'Renée Dubois', 'dave', 'Søren'];
    names.forEach((name, i) => insert.run(`u${i}`, name, name.toLowerCase(), `u${i}@x.test`, at(0), at(0), i + 1));
    const epochBefore = (db.prepare('SELECT n FROM cache_epoch').get() as { n: number }).n;
    db.close();

    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    try {
      await store.init();
      const check = new Database(dir('shine.db'), { readonly: true });
      try {
        expect(check.prepare('SELECT id, name_key FROM users ORDER BY id').all()).to.deep.equal([
          { id: 'u0', name_key: 'zed' },
          { id: 'u1', name_key: 'emile zola' },
          { id: 'u2', name_key: 'renee dubois' },
          { id: 'u3', name_key: 'dave' },
          { id: 'u4', name_key: 'søren' },
        ]);
        expect((check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).to.equal(LATEST_SCHEMA_VERSION);
        // The users trigger moved the epoch, so a process that cached people re-reads them.
        expect((check.prepare('SELECT n FROM cache_epoch').get() as { n: number }).n).to.be.above(epochBefore);
      } finally {
        check.close();
      }
      const list = async (q?: string) => (await collectPages((p) => store.listUsers({ q }, p), 2)).map((u) => u.name);
      expect(await list()).to.deep.equal(['dave', 'Émile Zola', 'Renée Dubois', 'Søren', 'Zed']);
      expect(await list('emile')).to.deep.equal(['Émile Zola']);
      expect(await list('rene')).to.deep.equal(['Renée Dubois']);
    } finally {
      await store.close();
    }
  });
});
