import { expect } from 'chai';
import { verifyPassword } from '../../src/auth/passwords.js';
import { ensureFirstAdmin } from '../../src/bootstrap.js';
import { systemClock } from '../../src/domain/deps.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { useTempDir } from '../support/temp-dir.js';

/** Two stores on one file stand for two Shine processes starting at once on an empty database. */
describe('first admin', () => {
  let stores: SqliteStore[];
  const dir = useTempDir('shine-bootstrap-', async () => {
    for (const s of stores) await s.close();
  });

  beforeEach(async () => {
    stores = [new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' }), new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' })];
    for (const s of stores) await s.init();
  });

  it('two processes starting together both start, and one admin account exists with the password that was printed', async () => {
    const printed: string[] = [];
    // Both count zero admins before either inserts: hashing the password takes far longer than the count.
    await Promise.all(stores.map((store) => ensureFirstAdmin({ store, clock: systemClock }, null, null, (s) => printed.push(s))));
    expect(printed).to.have.length(1);
    const password = /password: (\S+)/.exec(printed[0]!)?.[1];
    expect(password).to.be.a('string');
    expect(await stores[0]!.countUsers({ role: 'admin', activeOnly: true })).to.equal(1);
    const admin = await stores[1]!.getUserByEmail('admin@localhost');
    expect(await verifyPassword(password!, admin!.passwordHash!)).to.equal(true);
  });

  it('with the admin configured, both processes start on the same account', async () => {
    await Promise.all(stores.map((store) => ensureFirstAdmin({ store, clock: systemClock }, 'boss@example.com', 'a long enough secret', () => {})));
    const admin = await stores[0]!.getUserByEmail('boss@example.com');
    expect(admin?.role).to.equal('admin');
    expect(await verifyPassword('a long enough secret', admin!.passwordHash!)).to.equal(true);
  });
});
