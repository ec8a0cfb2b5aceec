import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database, { DRIVER_MODULE } from '../../src/store/sqlite/driver.js';
import { Worker } from 'node:worker_threads';
import { ConflictError, StoreUnavailableError } from '../../src/domain/errors.js';
import { pairsOf, periodPairs, type PairBatch } from '../../src/domain/pair-batch.js';
import { newId } from '../../src/domain/ids.js';
import type { ScoringRules } from '../../src/domain/types.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { openDatabase, SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { pairBatches } from '../../src/store/sqlite/sqlite-pairs.stream.js';
import { translateSqliteError } from '../../src/store/sqlite/sqlite-errors.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { ALL, at, buildBehaviour, buildKudos, buildUser, drain, expectRejection } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/** Facts only the sqlite adapter has: pragmas, migrations, the file on disk. */
describe('sqlite store: file, pragmas and migrations', () => {
  const open: SqliteStore[] = [];
  const dir = useTempDir('shine-sqlite-specific-', async () => {
    for (const s of open.splice(0)) await s.close();
  });

  async function openStore(synchronous: 'FULL' | 'NORMAL' = 'FULL'): Promise<SqliteStore> {
    const store = new SqliteStore({ file: dir('shine.db'), synchronous });
    await store.init();
    open.push(store);
    return store;
  }

  /** Rows of schema_migrations, read through a separate connection. */
  function appliedMigrations(): { version: number }[] {
    const db = new Database(dir('shine.db'), { readonly: true });
    try {
      return db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    } finally {
      db.close();
    }
  }

  it('runs in WAL mode with foreign keys on, the configured fsync level and a 5 s busy timeout', async () => {
    const full = await openStore('FULL');
    expect(await full.diagnostics()).to.deep.equal({
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 5000,
      schemaVersion: LATEST_SCHEMA_VERSION,
      integrity: 'ok',
    });
    const normal = await openStore('NORMAL');
    expect((await normal.diagnostics()).synchronous).to.equal(1);
  });

  it('enforces foreign keys: a kudos for an unknown recipient is refused and leaves nothing behind', async () => {
    const store = await openStore();
    const giver = await store.createUser(buildUser());
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    const ghost = { ...buildUser(), active: true, tokenVersion: 0, updatedAt: at(0) };
    const k = buildKudos(giver, [ghost], ['b1']);
    let failed = false;
    await store.createKudos(k).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(await store.getKudos(k.id, null)).to.equal(null);
    expect((await store.feedPage({ viewer: ALL }, { limit: 5 })).items).to.deep.equal([]);
  });

  it('applies migrations once: init twice and reopening the file change nothing', async () => {
    const first = await openStore();
    await first.init();
    expect(appliedMigrations().map((m) => m.version)).to.deep.equal(
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    await first.close();
    const again = await openStore();
    await again.init();
    expect(appliedMigrations()).to.have.length(LATEST_SCHEMA_VERSION);
    expect((await again.diagnostics()).integrity).to.equal('ok');
  });

  it('keeps data across close and reopen', async () => {
    const store = await openStore();
    const ann = await store.createUser(buildUser({ name: 'Ann' }));
    const bob = await store.createUser(buildUser({ name: 'Bob' }));
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    const k = await store.createKudos(buildKudos(ann, [bob], ['b1'], { idempotencyKey: 'idem' }));
    await store.setReaction(k.id, bob.id, '🎉', true, at(1));
    await store.close();

    const reopened = await openStore();
    expect(await reopened.getUser(ann.id)).to.deep.equal(ann);
    expect(await reopened.getKudos(k.id, bob.id)).to.deep.equal({ ...k, reactions: { '🎉': 1 }, myReactions: ['🎉'] });
    expect((await reopened.getKudosByIdempotencyKey(ann.id, 'idem'))?.id).to.equal(k.id);
    expect(await drain(periodPairs(reopened, at(-1), at(1)))).to.have.length(1);
  });

  it('saves rules and weights in one transaction: a failing weight leaves the rules and the other weights as they were', async () => {
    const store = await openStore();
    const a = await store.createBehaviour(buildBehaviour({ weight: 1 }));
    const b = await store.createBehaviour(buildBehaviour({ weight: 1 }));
    const before: Omit<ScoringRules, 'weights'> = { allowancePerPeriod: null, repeatPairDamping: 0.5, groupSplit: 'sqrt', minDistinctGivers: 1, reciprocalThreshold: 0.8, reciprocalPenalty: 0.5, tiers: [] };
    await store.saveRules(before);
    // NOT NULL refuses the second weight after the first was written: all of it must roll back.
    const bad = { [a.key]: 4, [b.key]: null as unknown as number };
    await expectRejection(store.saveRules({ ...before, allowancePerPeriod: 3 }, bad), Error);
    expect(await store.getRules()).to.deep.equal(before);
    expect((await store.listBehaviours()).filter((x) => x.key === a.key || x.key === b.key).map((x) => x.weight)).to.deep.equal([1, 1]);
  });

  it('lets two stores share one file, as two Shine processes would', async () => {
    const a = await openStore();
    const b = await openStore();
    const user = await a.createUser(buildUser({ email: 'shared@acme.test' }));
    expect(await b.getUserByEmail('shared@acme.test')).to.deep.equal(user);
    await b.hitCounter('k', 60_000, 0);
    expect(await a.hitCounter('k', 60_000, 1)).to.deep.equal({ count: 2, resetAtMs: 60_000 });
  });

  it('waits for another connection’s write lock instead of failing', async () => {
    const store = await openStore();
    // A worker holds the write lock for 300 ms; this thread's write must block, then succeed.
    const worker = new Worker(
      // The same SQLite as the store's: a second copy in this process would not see its locks.
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(${JSON.stringify(DRIVER_MODULE)});
       const db = new Database(workerData);
       db.exec('BEGIN IMMEDIATE');
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, 300);`,
      { eval: true, workerData: dir('shine.db') },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    const started = Date.now();
    await store.createUser(buildUser());
    expect(Date.now() - started).to.be.at.least(200);
    await worker.terminate();
  }).timeout(10_000);

  it('maps each unique constraint a caller can hit to ConflictError with its field', async () => {
    const store = await openStore();
    const giver = await store.createUser(buildUser({ email: 'taken@acme.test' }));
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    await store.createKudos(buildKudos(giver, [giver], ['b1'], { idempotencyKey: 'idem' }));
    await store.createDisplay({ id: newId(), name: 'Lobby', team: null, createdAt: at(0), createdBy: giver.id, tokenHash: 'hash' });
    // Straight to the tables, past the adapter's own checks, to hit the constraints themselves.
    const side = new Database(dir('shine.db'));
    const violations: [string, unknown[], string][] = [
      ["INSERT INTO users (id, name, name_key, email, team, role, created_at, updated_at) VALUES (?, 'x', 'x', 'taken@acme.test', 't', 'employee', 'a', 'a')", [newId()], 'email'],
      ["INSERT INTO behaviours (key, grp, name, description, weight, active) VALUES ('b1', 'g', 'n', 'd', 1, 1)", [], 'key'],
      ["INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids, behaviour_keys, idempotency_key) VALUES (?, ?, 'm', 'public', 'a', '[]', '', '', 'idem')", [newId(), giver.id], 'idempotencyKey'],
      ["INSERT INTO displays (id, name, created_at, created_by, token_hash) VALUES (?, 'x', 'a', 'b', 'hash')", [newId()], 'tokenHash'],
    ];
    try {
      for (const [sql, params, field] of violations) {
        let caught: unknown;
        try {
          side.prepare(sql).run(...params);
        } catch (err) {
          caught = err;
        }
        const translated = translateSqliteError(caught);
        expect(translated, field).to.be.instanceOf(ConflictError);
        expect((translated as ConflictError).field).to.equal(field);
        expect((translated as ConflictError).cause).to.equal(caught);
      }
    } finally {
      side.close();
    }
  });

  it('turns a busy database into StoreUnavailableError, keeping the driver error as cause', () => {
    const holder = new Database(dir('shine.db'));
    const other = new Database(dir('shine.db'), { timeout: 0 });
    try {
      holder.exec('CREATE TABLE t (x); BEGIN IMMEDIATE');
      let caught: unknown;
      try {
        other.exec('INSERT INTO t VALUES (1)');
      } catch (err) {
        caught = err;
      }
      const translated = translateSqliteError(caught);
      expect(translated).to.be.instanceOf(StoreUnavailableError);
      expect((translated as StoreUnavailableError).cause).to.equal(caught);
    } finally {
      holder.close();
      other.close();
    }
  });

  it('reads pairs across slice boundaries, with tied timestamps, without repeats or gaps, on threads or not', async function () {
    // 15 streams, each starting its reader threads: seconds on a quiet machine, 41 s seen at load 17.
    this.timeout(90_000);
    const store = await openStore('NORMAL');
    const people = await Promise.all([0, 1, 2, 3].map(() => store.createUser(buildUser())));
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    await store.createBehaviour(buildBehaviour({ key: 'b2' }));
    const expected: string[] = [];
    const writes = [];
    for (let i = 0; i < 40; i++) {
      const [giver, a, b] = [people[i % 4]!, people[(i + 1) % 4]!, people[(i + 2) % 4]!];
      const recipients = i % 3 === 0 ? [a, b] : [a];
      // Five kudos per minute: chunk edges fall between equal timestamps.
      const k = buildKudos(giver, recipients, i % 2 ? ['b1'] : ['b2', 'b1'], { createdAt: at(Math.floor(i / 5)) });
      for (const r of recipients) expected.push(`${k.id}/${r.id}/${k.behaviourKeys.join('+')}/${recipients.length}`);
      writes.push(store.createKudos(k));
    }
    await Promise.all(writes);
    const d = new SqliteDb(openDatabase(dir('shine.db'), 'NORMAL'), dir('shine.db'));
    try {
      for (const workers of [0, 1, 3]) {
        for (const sliceKudos of [1, 3, 5, 7, 1000]) {
          const batches = await drain(pairBatches(d, at(0), at(100), { sliceKudos, workers }));
          const got = batches.flatMap((b) => [...pairsOf(b)]).map(
            (p) => `${p.kudosId}/${p.recipientId}/${p.behaviourKeys.join('+')}/${p.recipientCount}`,
          );
          expect(got.sort(), `${workers} workers, slices of ${sliceKudos}`).to.deep.equal([...expected].sort());
          expect(batches.every((b) => b.kudosCount <= sliceKudos)).to.equal(true);
        }
      }
    } finally {
      d.close();
    }
  });

  it('reads each kudos once while writes go on mid-stream, in (createdAt, id) order', async () => {
    const store = await openStore('NORMAL');
    const [ann, bob] = [await store.createUser(buildUser()), await store.createUser(buildUser())];
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await store.createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(i) }))).id);
    const d = new SqliteDb(openDatabase(dir('shine.db'), 'NORMAL'), dir('shine.db'));
    try {
      const seen: string[] = [];
      let late = '';
      for await (const b of pairBatches(d, at(0), at(100), { sliceKudos: 2, workers: 2 })) {
        seen.push(...[...pairsOf(b)].map((p) => p.kudosId));
        // Writes on the store's own connection keep working while the stream is open.
        if (seen.length === 2) {
          await store.removeKudos(ids[9]!, { by: ann.id, reason: null, at: at(50) });
          late = (await store.createKudos(buildKudos(bob, [ann], ['b1'], { createdAt: at(60) }))).id;
        }
      }
      // Slices are separate snapshots: a change lands in whichever slice reads after it, and
      // the key ranges never overlap, so nothing is read twice.
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen.slice(0, 9)).to.deep.equal(ids.slice(0, 9));
      expect(ids.slice(0, 9).concat(ids[9]!, late)).to.include.members(seen);
      expect(await drain(periodPairs(store, at(0), at(100)))).to.have.length(10);
    } finally {
      d.close();
    }
  });

  it('stops its reader threads when the consumer stops early', async () => {
    const store = await openStore('NORMAL');
    const [ann, bob] = [await store.createUser(buildUser()), await store.createUser(buildUser())];
    await store.createBehaviour(buildBehaviour({ key: 'b1' }));
    for (let i = 0; i < 20; i++) await store.createKudos(buildKudos(ann, [bob], ['b1'], { createdAt: at(i) }));
    const d = new SqliteDb(openDatabase(dir('shine.db'), 'NORMAL'), dir('shine.db'));
    try {
      const first: PairBatch[] = [];
      for await (const b of pairBatches(d, at(0), at(100), { sliceKudos: 1, workers: 2 })) {
        first.push(b);
        break;
      }
      expect(first).to.have.length(1);
      expect(first[0]?.kudosCount).to.equal(1);
    } finally {
      d.close();
    }
  });

  it('rejects with StoreUnavailableError once closed, and ping says false', async () => {
    const store = await openStore();
    await store.close();
    expect(await store.ping()).to.equal(false);
    await expectRejection(store.getUser(newId()), StoreUnavailableError);
    await expectRejection(drain(periodPairs(store, at(0), at(1))), StoreUnavailableError);
  });
});
