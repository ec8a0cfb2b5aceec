import { expect } from 'chai';
import Database, { type Db } from '../../src/store/sqlite/driver.js';
import { StoreUnavailableError } from '../../src/domain/errors.js';
import { openDatabase, SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { GroupCommit } from '../../src/store/sqlite/sqlite-group-commit.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { lockRetryDelay } from '../../src/store/sqlite/sqlite-lock-wait.js';
import { watchStalls } from '../support/stall-watch.js';
import { useTempDir } from '../support/temp-dir.js';

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** The longest the event loop went without running a 1 ms interval, while `during` runs. */
async function longestStall(during: () => Promise<unknown>): Promise<number> {
  const watch = watchStalls(1);
  try {
    await during();
    return watch.stop().longestMs;
  } finally {
    watch.stop();
  }
}

describe('sqlite group commit while another process holds the write lock', () => {
  let d: SqliteDb;
  let other: Db;
  const dir = useTempDir('shine-lock-', () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    d.close();
  });

  const commit = (lockWaitMs?: number) =>
    new GroupCommit<string, string>(
      d,
      (id) => {
        d.run('INSERT INTO t (id) VALUES (?)', id);
        return id;
      },
      lockWaitMs,
    );
  const rows = () => d.all<{ id: string }>('SELECT id FROM t ORDER BY id').map((r) => r.id);

  beforeEach(() => {
    const file = dir('lock.db');
    d = new SqliteDb(openDatabase(file, 'NORMAL'), file);
    d.db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    // What a second Shine process looks like from here: its own connection to the same file.
    other = new Database(file);
  });

  it('keeps serving the event loop while it waits, then commits everything in order', async () => {
    const writer = commit();
    other.exec('BEGIN IMMEDIATE');
    const settled: string[] = [];
    const stall = await longestStall(async () => {
      const writes = ['a', 'b', 'c'].map((id) => writer.submit(id).then((x) => settled.push(x)));
      await sleep(300);
      expect(settled, 'nothing can commit while the lock is held').to.deep.equal([]);
      expect(rows(), 'reads still work meanwhile').to.deep.equal([]);
      other.exec('COMMIT');
      await Promise.all(writes);
    });
    expect(settled).to.deep.equal(['a', 'b', 'c']);
    expect(rows()).to.deep.equal(['a', 'b', 'c']);
    // SQLite's busy handler would have slept through the whole 300 ms.
    expect(stall).to.be.below(250);
  });

  it('gives up after the lock wait with StoreUnavailableError, writing nothing, and recovers', async () => {
    const writer = commit(100);
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const outcome = await writer.submit('late').then(() => null, (err: unknown) => err);
    expect(outcome).to.be.instanceOf(StoreUnavailableError);
    expect(Date.now() - started).to.be.within(100, 1000);
    other.exec('ROLLBACK');
    expect(rows()).to.deep.equal([]);
    expect(await writer.submit('next')).to.equal('next');
    expect(rows()).to.deep.equal(['next']);
  });
});

describe('sqlite writes outside the group commit while another connection holds the write lock', () => {
  let other: Db | null;
  let conn: SqliteDb | null;
  const dir = useTempDir('shine-lock-', () => {
    if (other?.inTransaction) other.exec('ROLLBACK');
    other?.close();
    conn?.close();
  });

  /** What a second Shine process holding the write lock looks like from here. */
  const lockElsewhere = () => {
    other = new Database(dir('lock.db'));
    other.exec('BEGIN IMMEDIATE');
    return other;
  };
  /** A connection with an empty table t, the lock held elsewhere. */
  const lockedConnection = (): SqliteDb => {
    const d = new SqliteDb(openDatabase(dir('lock.db'), 'NORMAL'), dir('lock.db'));
    conn = d;
    d.db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    lockElsewhere();
    return d;
  };

  beforeEach(() => {
    other = null;
    conn = null;
  });

  it('writeSoon keeps the event loop serving while it waits, then runs once', async () => {
    const d = lockedConnection();
    const holder = other as Db;
    let runs = 0;
    let done = false;
    const stall = await longestStall(async () => {
      const write = d.writeSoon(() => {
        runs++;
        return d.run('INSERT INTO t (id) VALUES (?)', 'a');
      }).then((changes) => {
        done = true;
        return changes;
      });
      await sleep(300);
      expect(done, 'nothing can commit while the lock is held').to.equal(false);
      expect(runs, 'a refused BEGIN runs nothing of the transaction').to.equal(0);
      holder.exec('COMMIT');
      expect(await write).to.equal(1);
    });
    expect(runs).to.equal(1);
    expect(d.all<{ id: string }>('SELECT id FROM t')).to.deep.equal([{ id: 'a' }]);
    // SQLite's busy handler would have slept through the whole 300 ms.
    expect(stall).to.be.below(250);
  });

  it('writeSoon gives up after the lock wait as the busy handler would, writing nothing', async () => {
    const d = lockedConnection();
    const started = Date.now();
    const outcome = await d.writeSoon(() => d.run('INSERT INTO t (id) VALUES (?)', 'late'), 100).then(() => null, (err: unknown) => err);
    expect((outcome as { code?: string } | null)?.code).to.match(/^SQLITE_BUSY/);
    expect(Date.now() - started).to.be.within(100, 1000);
    (other as Db).exec('ROLLBACK');
    expect(d.all('SELECT id FROM t')).to.deep.equal([]);
    // The busy timeout is back for everything else on the connection.
    expect(d.db.pragma('busy_timeout', { simple: true })).to.equal(5000);
  });

  it("the store's own writes (an idempotency claim, a counter) wait without stopping the event loop", async () => {
    const store = new SqliteStore({ file: dir('lock.db'), synchronous: 'NORMAL', writer: 'event-loop' });
    await store.init();
    try {
      const holder = lockElsewhere();
      const at = new Date().toISOString();
      const claim = { userId: 'u1', key: 'k1', method: 'POST', path: '/api/v1/kudos', createdAt: at };
      let settled = 0;
      const stall = await longestStall(async () => {
        const writes = [
          store.claimStoredResponse(claim, at, at).then((held) => {
            settled++;
            return held;
          }),
          store.hitCounter('login:x', 60_000, Date.now()).then((hit) => {
            settled++;
            return hit;
          }),
        ];
        await sleep(300);
        expect(settled, 'nothing can commit while the lock is held').to.equal(0);
        holder.exec('COMMIT');
        const [held, hit] = await Promise.all(writes);
        expect(held, 'the key was free: claimed').to.equal(null);
        expect(hit).to.include({ count: 1 });
      });
      expect(stall).to.be.below(250);
      expect(await store.getStoredResponse('u1', 'k1')).to.include({ status: 0 });
    } finally {
      await store.close();
    }
  });
});

describe('sqlite group commit: when it asks for a taken lock again', () => {
  it('asks on every event-loop turn for the first 3 ms, then after 1 ms, then every 2 ms', () => {
    expect([0, 1, 2.9].map((waited) => lockRetryDelay(waited, 0))).to.deep.equal([0, 0, 0]);
    expect(lockRetryDelay(3, 0)).to.equal(1);
    expect(lockRetryDelay(4, 1)).to.equal(2);
    expect(lockRetryDelay(5_000, 2)).to.equal(2);
  });
});
