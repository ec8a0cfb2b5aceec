import { expect } from 'chai';
import { AllowanceExhaustedError, ConflictError, KudosRateLimitedError, StoreUnavailableError } from '../../src/domain/errors.js';
import type { KudosRecord } from '../../src/domain/types.js';
import { killWriterThread } from '../../src/store/sqlite/sqlite-kudos-writer.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';
import { fromThreadError, toThreadError } from '../../src/store/sqlite/thread-errors.js';
import { at, buildBehaviour, buildKudos, seedUsers, ALL } from './contract-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';

/** File-backed stores post kudos through the writer thread; what it answers must be what the store promised. */
describe('sqlite kudos writer thread', () => {
  const dir = useTempDir('shine-writer-');

  /** A thread-writer store with a giver, a recipient and the behaviour 'helpful'. */
  async function openWithPeople(synchronous: 'FULL' | 'NORMAL' = 'FULL') {
    const store = new SqliteStore({ file: dir('shine.db'), synchronous, writer: 'thread' });
    await store.init();
    const [giver, recipient] = await seedUsers(store, [{ name: 'Giver' }, { name: 'Recipient' }]);
    await store.createBehaviour(buildBehaviour({ key: 'helpful' }));
    return { store, giver: giver!, recipient: recipient! };
  }

  /** Every write was answered with its own kudos, and the file, opened again, holds exactly those. */
  async function expectStoredOnce(writes: Promise<KudosRecord>[], count: number): Promise<void> {
    const answered = await Promise.all(writes);
    expect(new Set(answered.map((k) => k.id)).size).to.equal(count);
    const reopened = new SqliteStore({ file: dir('shine.db'), synchronous: 'FULL', writer: 'thread' });
    await reopened.init();
    try {
      const page = await reopened.feedPage({ viewer: ALL }, { limit: 100, after: null });
      expect(page.items.map((k) => k.id).sort()).to.deep.equal(answered.map((k) => k.id).sort());
    } finally {
      await reopened.close();
    }
  }

  it('commits and answers every kudos still queued when the store closes', async () => {
    const { store, giver, recipient } = await openWithPeople();
    const writes = Array.from({ length: 40 }, (_, i) => store.createKudos(buildKudos(giver, [recipient], ['helpful'], { createdAt: at(i) })));
    await store.close();
    await expectStoredOnce(writes, 40);
  });

  it('answers writes that arrive in later tasks while the thread is busy, and those held when the store closes', async () => {
    const { store, giver, recipient } = await openWithPeople();
    // One write per task, as HTTP requests come: all but the first find earlier ones unanswered.
    const writes: Promise<KudosRecord>[] = [];
    for (let i = 0; i < 60; i++) {
      writes.push(store.createKudos(buildKudos(giver, [recipient], ['helpful'], { createdAt: at(i) })));
      await new Promise((resolve) => (i % 3 === 0 ? setImmediate(resolve) : setTimeout(resolve, 0)));
    }
    // Answered while the store is open: a write held back for the thread is sent on its own.
    await Promise.all(writes);
    // Written in one task right before closing, to a thread that may still owe answers (then they
    // wait for the end of the pass): close must send and commit them before it resolves.
    for (let i = 60; i < 70; i++) writes.push(store.createKudos(buildKudos(giver, [recipient], ['helpful'], { createdAt: at(i) })));
    await store.close();
    await expectStoredOnce(writes, 70);
  });

  it('refuses kudos after close instead of leaving them unanswered', async () => {
    const { store, giver, recipient } = await openWithPeople('NORMAL');
    await store.close();
    const err = await store.createKudos(buildKudos(giver, [recipient], ['helpful'])).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StoreUnavailableError);
  });

  it('answers 503 for posts the thread took down with it, and starts a new thread for the next post', async () => {
    const store = new SqliteStore({ file: dir('shine.db'), synchronous: 'NORMAL', writer: 'thread' });
    await store.init();
    try {
      const [giver, recipient] = await seedUsers(store, [{ name: 'Giver' }, { name: 'Recipient' }]);
      await store.createBehaviour(buildBehaviour({ key: 'helpful' }));
      const before = await store.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(1) }));
      const lost = store.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(2) })).then(() => null, (e: unknown) => e);
      await killWriterThread();
      expect(await lost).to.be.instanceOf(StoreUnavailableError);
      const after = await store.createKudos(buildKudos(giver!, [recipient!], ['helpful'], { createdAt: at(3) }));
      const page = await store.feedPage({ viewer: ALL }, { limit: 10, after: null });
      expect(page.items.map((k) => k.id)).to.deep.equal([after.id, before.id]);
    } finally {
      await store.close();
    }
  });

  it('carries domain errors across the thread as their own classes with their fields', () => {
    const allowance = fromThreadError(toThreadError(new AllowanceExhaustedError(5, 5)));
    expect(allowance).to.be.instanceOf(AllowanceExhaustedError);
    expect(allowance).to.include({ status: 422, code: 'allowance_exhausted', max: 5, used: 5 });
    expect(allowance.message).to.equal(new AllowanceExhaustedError(5, 5).message);
    const rate = fromThreadError(toThreadError(new KudosRateLimitedError(3, { from: at(0), to: at(1) }, at(0.5))));
    expect(rate).to.be.instanceOf(KudosRateLimitedError).and.include({ status: 429, retryAfterSeconds: 30 });
    const conflict = fromThreadError(toThreadError(new ConflictError('idempotencyKey', 'used', 'duplicate_idempotency_key', { cause: new Error('UNIQUE') })));
    expect(conflict).to.be.instanceOf(ConflictError).and.include({ field: 'idempotencyKey', code: 'duplicate_idempotency_key' });
    expect((conflict.cause as Error).message).to.equal('UNIQUE');
    const driver = fromThreadError(toThreadError(Object.assign(new Error('FOREIGN KEY constraint failed'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })));
    expect(driver).to.not.be.instanceOf(ConflictError);
    expect(driver).to.include({ message: 'FOREIGN KEY constraint failed', code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
  });
});
