import { expect } from 'chai';
import { fsync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, SqliteDb } from '../../src/store/sqlite/sqlite-db.js';
import { GroupCommit } from '../../src/store/sqlite/sqlite-group-commit.js';
import { WalSync } from '../../src/store/sqlite/sqlite-wal-sync.js';
import { StoreUnavailableError } from '../../src/domain/errors.js';

const tick = () => new Promise<void>((ok) => setImmediate(ok));

/** An fsync that really syncs, but only when the test lets it finish; counts the WAL syncs. */
class HeldFsync {
  calls = 0;
  private pending: Array<() => void> = [];
  failNext = false;
  readonly fn = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => {
    this.calls++;
    this.pending.push(() => {
      if (this.failNext) {
        this.failNext = false;
        done(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
        return;
      }
      fsync(fd, done);
    });
  };
  /** Waits until `n` fsyncs have been asked for. */
  async started(n: number): Promise<void> {
    while (this.calls < n) await new Promise((ok) => setTimeout(ok, 1));
  }

  /** Lets every fsync asked for so far finish (waiting for one if none is). */
  async release(): Promise<void> {
    while (this.pending.length === 0) await new Promise((ok) => setTimeout(ok, 1));
    const now = this.pending.splice(0);
    for (const finish of now) finish();
    for (let i = 0; i < 5; i++) await tick();
  }
}

describe('WAL sync off the event loop', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'shine-walsync-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shares one later fsync among callers that arrive while one is under way', async () => {
    const wal = join(dir, 'x.db-wal');
    writeFileSync(wal, 'frames');
    const held = new HeldFsync();
    const sync = new WalSync(wal, held.fn);
    const done: string[] = [];
    const first = sync.sync().then(() => done.push('first'));
    await held.release(); // the directory sync
    await held.started(2); // the first WAL fsync is under way
    const during = [sync.sync(), sync.sync(), sync.sync()].map((p, i) => p.then(() => done.push(`during ${i}`)));
    await held.release(); // the first WAL fsync: those who came during it need another
    await first;
    expect(done).to.deep.equal(['first']);
    await held.release();
    await Promise.all(during);
    expect(done).to.deep.equal(['first', 'during 0', 'during 1', 'during 2']);
    expect(held.calls, 'directory once, then two WAL fsyncs for four callers').to.equal(3);
    await sync.close();
  });

  it('answers a group-committed write only after its WAL fsync, while readers already see it', async () => {
    const file = join(dir, 'shine.db');
    const held = new HeldFsync();
    const d = new SqliteDb(openDatabase(file, 'FULL'), file, new WalSync(`${file}-wal`, held.fn));
    try {
      d.db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
      const writer = new GroupCommit<string, string>(d, (id) => (d.run('INSERT INTO t (id) VALUES (?)', id), id), (ids) => new Map(ids.map((id) => [id, id])));
      let answered = false;
      const write = writer.submit('k1').then(() => (answered = true));
      for (let i = 0; i < 5; i++) await tick();
      expect(d.all<{ id: string }>('SELECT id FROM t').map((r) => r.id), 'committed').to.deep.equal(['k1']);
      expect(answered, 'not answered before the disk has it').to.equal(false);
      expect(Number(d.db.pragma('synchronous', { simple: true })), 'other writes still commit with FULL').to.equal(2);
      await held.release(); // the directory
      await held.release(); // the WAL
      await write;
      expect(answered).to.equal(true);

      held.failNext = true;
      const failing = writer.submit('k2').then(() => null, (err: unknown) => err);
      await held.release();
      expect(await failing).to.be.instanceOf(StoreUnavailableError);
    } finally {
      await d.walSync?.close();
      d.close();
    }
  });
});
