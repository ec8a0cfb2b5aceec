import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database, { type Db } from '../../src/store/sqlite/driver.js';
import { pairsOf, type PairBatch } from '../../src/domain/pair-batch.js';
import type { NewKudos, User } from '../../src/domain/types.js';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { openDatabase, SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { readRange, SLICE_SQL, SliceReader } from '../../src/store/sqlite/sqlite-pairs.read.js';
import { pairBatches } from '../../src/store/sqlite/sqlite-pairs.stream.js';
import { toPairBatch } from '../../src/store/sqlite/sqlite-slice-batch.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { at, buildBehaviour, buildKudos, buildUser, drain } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/** kudos.score_refs (people and behaviours as numbers): written, migrated, and read back. */
describe('sqlite store: kudos score_refs', () => {
  const open: { close(): unknown }[] = [];
  const dir = useTempDir('shine-score-refs-', async () => {
    for (const s of open.splice(0).reverse()) await s.close();
  });

  async function openStore(): Promise<SqliteStore> {
    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL' });
    await store.init();
    open.push(store);
    return store;
  }

  function connection(): Db {
    const db = openDatabase(dir('shine.db'), 'NORMAL');
    open.push(db);
    return db;
  }

  /** Each pair as one comparable string, recipients' order within a kudos ignored. */
  function pairKeys(batches: PairBatch[]): string[] {
    return batches
      .flatMap((b) => [...pairsOf(b)])
      .map((p) => `${p.kudosId}/${p.giverId}/${p.recipientId}/${p.createdAt}/${p.behaviourKeys.join('+')}/${p.recipientCount}`)
      .sort();
  }

  function expectedKeys(kudos: NewKudos[]): string[] {
    return kudos
      .flatMap((k) => k.recipientIds.map((r) => `${k.id}/${k.giverId}/${r}/${k.createdAt}/${k.behaviourKeys.join('+')}/${k.recipientIds.length}`))
      .sort();
  }

  /** Reads [at(0), at(100)) on the calling thread; also says how many slices needed the id lists. */
  function readHere(db: Db, size: number): { batches: PairBatch[]; idListReads: number } {
    const reader = new SliceReader(db);
    const batches = [...readRange(reader, at(0), at(100), size)].map(toPairBatch);
    return { batches, idListReads: reader.idListReads };
  }

  async function seed(store: SqliteStore, count: number): Promise<{ people: User[]; kudos: NewKudos[] }> {
    const people = await Promise.all([0, 1, 2, 3, 4].map(() => store.createUser(buildUser())));
    for (const key of ['b1', 'b2', 'b3']) await store.createBehaviour(buildBehaviour({ key }));
    const kudos: NewKudos[] = [];
    for (let i = 0; i < count; i++) {
      const recipients = i % 4 === 0 ? [people[(i + 1) % 5]!, people[(i + 3) % 5]!] : [people[(i + 2) % 5]!];
      const keys = [['b1'], ['b2', 'b1'], ['b3', 'b1', 'b2']][i % 3]!;
      // Three kudos per minute: slice edges fall between equal timestamps.
      kudos.push(buildKudos(people[i % 5]!, recipients, keys, { createdAt: at(Math.floor(i / 3)) }));
    }
    await Promise.all(kudos.map((k) => store.createKudos(k)));
    return { people, kudos };
  }

  it('numbers people and behaviours as they are created, and writes score_refs with each kudos', async () => {
    const store = await openStore();
    const [ann, bob, cy] = [await store.createUser(buildUser()), await store.createUser(buildUser()), await store.createUser(buildUser())];
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    await store.createBehaviour(buildBehaviour({ key: 'b2' }));
    const k = await store.createKudos(buildKudos(ann!, [cy!, bob!], ['b2', 'b1']));
    const db = connection();
    const seq = (table: string, column: string, value: string) =>
      (db.prepare(`SELECT seq FROM ${table} WHERE ${column} = ?`).get(value) as { seq: number }).seq;
    expect([ann, bob, cy].map((u) => seq('users', 'id', u!.id))).to.deep.equal([1, 2, 3]);
    expect(['b1', 'b2'].map((key) => seq('behaviours', 'key', key))).to.deep.equal([1, 2]);
    expect(db.prepare('SELECT score_refs FROM kudos WHERE id = ?').get(k.id)).to.deep.equal({ score_refs: '1,3,2;2,1' });
  });

  it('reads through score_refs alone when every kudos has them, on threads or not', async () => {
    const store = await openStore();
    const { kudos } = await seed(store, 30);
    const db = connection();
    for (const size of [1, 4, 7, 1000]) {
      const { batches, idListReads } = readHere(db, size);
      expect(pairKeys(batches), `slices of ${size}`).to.deep.equal(expectedKeys(kudos));
      expect(idListReads, `slices of ${size}`).to.equal(0);
    }
    const d = new SqliteDb(db, dir('shine.db'));
    expect(pairKeys(await drain(pairBatches(d, at(0), at(100), { sliceKudos: 4, workers: 2 })))).to.deep.equal(expectedKeys(kudos));
  });

  it('reads kudos without score_refs (written by an older build) through their id lists, pairs unchanged', async () => {
    const store = await openStore();
    const { kudos } = await seed(store, 30);
    const db = connection();
    db.prepare('UPDATE kudos SET score_refs = NULL WHERE id IN (?, ?)').run(kudos[5]!.id, kudos[17]!.id);
    // A person an older build created has no number: kudos naming them cannot have score_refs.
    const late = await store.createUser(buildUser());
    db.prepare('UPDATE users SET seq = NULL WHERE id = ?').run(late.id);
    const extra = buildKudos(late, [(await store.getUser(kudos[0]!.giverId))!], ['b2'], { createdAt: at(20) });
    await store.createKudos(extra);
    expect(db.prepare('SELECT score_refs FROM kudos WHERE id = ?').get(extra.id)).to.deep.equal({ score_refs: null });
    for (const size of [1, 5, 1000]) {
      const { batches, idListReads } = readHere(db, size);
      expect(pairKeys(batches), `slices of ${size}`).to.deep.equal(expectedKeys([...kudos, extra]));
      expect(idListReads, `slices of ${size}`).to.be.above(0);
    }
    const d = new SqliteDb(db, dir('shine.db'));
    const threaded = await drain(pairBatches(d, at(0), at(100), { sliceKudos: 3, workers: 2 }));
    expect(pairKeys(threaded)).to.deep.equal(expectedKeys([...kudos, extra]));
  });

  it('reads a person created after the reader loaded the names', async () => {
    const store = await openStore();
    const { people } = await seed(store, 6);
    const db = connection();
    const reader = new SliceReader(db);
    expect([...readRange(reader, at(0), at(100), 100)]).to.have.length(1);
    const newcomer = await store.createUser(buildUser());
    const k = buildKudos(newcomer, [people[0]!], ['b1'], { createdAt: at(50) });
    await store.createKudos(k);
    const [batch] = [...readRange(reader, at(50), at(100), 100)].map(toPairBatch);
    expect(pairKeys([batch!])).to.deep.equal(expectedKeys([k]));
    expect(reader.idListReads).to.equal(0);
  });

  it('migration 3 numbers existing rows and fills score_refs from the recipient and behaviour rows', async () => {
    const db = new Database(dir('shine.db'));
    migrate(db, at(0), 2);
    // Rows as the previous build wrote them: no seq, no score_refs.
    const user = db.prepare(`INSERT INTO users (id, name, name_key, email, team, role, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'T', 'employee', ?, ?)`);
    for (const id of ['u-a', 'u-b', 'u-c']) user.run(id, id, id, `${id}@x.test`, at(0), at(0));
    const behaviour = db.prepare(`INSERT INTO behaviours (key, grp, name, description, weight, active) VALUES (?, 'G', ?, '', 1, 1)`);
    for (const key of ['k1', 'k2']) behaviour.run(key, key);
    const write = (id: string, giver: string, recipients: string[], keys: string[], minute: number) => {
      db.prepare(`INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids, behaviour_keys)
        VALUES (?, ?, 'm', 'public', ?, '[]', ?, ?)`).run(id, giver, at(minute), recipients.join('\x1f'), keys.join('\x1f'));
      recipients.forEach((r, i) => db.prepare(`INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at)
        VALUES (?, ?, 'T', ?, ?)`).run(id, r, i, at(minute)));
      keys.forEach((key, i) => db.prepare(`INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at)
        VALUES (?, ?, ?, ?)`).run(id, key, i, at(minute)));
    };
    write('K1', 'u-a', ['u-c', 'u-b'], ['k2', 'k1'], 1);
    write('K2', 'u-b', ['u-a'], ['k1'], 2);
    write('K3', 'u-c', [], [], 3);
    db.close();

    await openStore();
    const check = connection();
    expect(check.prepare('SELECT id, seq FROM users ORDER BY seq').all()).to.deep.equal([
      { id: 'u-a', seq: 1 }, { id: 'u-b', seq: 2 }, { id: 'u-c', seq: 3 },
    ]);
    expect(check.prepare('SELECT key, seq FROM behaviours ORDER BY seq').all()).to.deep.equal([{ key: 'k1', seq: 1 }, { key: 'k2', seq: 2 }]);
    expect(check.prepare('SELECT id, score_refs FROM kudos ORDER BY id').all()).to.deep.equal([
      { id: 'K1', score_refs: '1,3,2;2,1' }, { id: 'K2', score_refs: '2,1;1' }, { id: 'K3', score_refs: '3;' },
    ]);
    const { batches, idListReads } = readHere(check, 100);
    expect(idListReads).to.equal(0);
    expect(batches.flatMap((b) => [...pairsOf(b)]).map((p) => `${p.kudosId}/${p.giverId}/${p.recipientId}/${p.behaviourKeys.join('+')}`))
      .to.deep.equal(['K1/u-a/u-c/k2+k1', 'K1/u-a/u-b/k2+k1', 'K2/u-b/u-a/k1']);
    expect(batches.map((b) => b.kudosCount)).to.deep.equal([3]);
  });

  it('reads slices on the covering time index, never the table', async () => {
    await openStore();
    const db = connection();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${SLICE_SQL.refs}`).all(at(0), '', at(1), 10) as { detail: string }[])
      .map((r) => r.detail);
    expect(plan.some((d) => /USING COVERING INDEX kudos_by_time/.test(d)), plan.join('\n')).to.equal(true);
  });
});
