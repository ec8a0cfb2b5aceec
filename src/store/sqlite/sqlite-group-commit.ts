import { BUSY_TIMEOUT_MS, type SqliteDb } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';
import { isBusy, later, lockRetryDelay } from './sqlite-lock-wait.js';

interface Pending<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/** Largest number of writes sharing one transaction, so the write lock is never held for long. */
const MAX_BATCH = 1000;

/**
 * Group commit. With synchronous=FULL every COMMIT waits for an fsync, which caps a disk at a
 * few hundred commits per second. Writes submitted in the same event-loop turn are run
 * together in one IMMEDIATE transaction, and every promise settles only after the shared
 * COMMIT, so a resolved write is as durable as one committed by itself. A failing write rolls
 * back alone and rejects alone (runBatch says how, without a SAVEPOINT per write). On the
 * kudos writer thread, a COMMIT that waits for the disk holds up only that thread, and the
 * writes arriving meanwhile make the next batch.
 *
 * When another process (a second Shine on the same file) holds the write lock, the batch does not
 * sleep in SQLite's busy handler, which backs off in steps of up to 100 ms and stops the thread's
 * event loop meanwhile: it asks again on the following event-loop turns, then every 1-2 ms
 * (lockRetryDelay), while the writes arriving meanwhile join the batch. After `lockWaitMs` without the lock the writes fail as the busy
 * handler would have.
 */
export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private retry: { cancel: () => void; delayMs: number; since: number } | null = null;

  /**
   * `write` runs inside the transaction and returns its result, built from what it wrote and
   * read there; the result is handed out only once the transaction has committed.
   */
  constructor(
    private readonly d: SqliteDb,
    private readonly write: (input: I) => O,
    private readonly lockWaitMs = BUSY_TIMEOUT_MS,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled && !this.retry) {
        this.scheduled = true;
        setImmediate(() => this.drain());
      }
    });
  }

  /**
   * Runs everything queued now, waiting in SQLite's busy handler if the lock is taken: for
   * closing the connection, when there is no later turn to wait for.
   */
  flush(): void {
    this.scheduled = false;
    this.retry?.cancel();
    this.retry = null;
    while (this.queue.length > 0) this.runBatch(this.queue.splice(0, MAX_BATCH), true);
  }

  /** Runs what is queued; if another connection holds the write lock, tries again later. */
  private drain(): void {
    this.scheduled = false;
    const retry = this.retry;
    this.retry = null;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const outcome = this.runBatch(batch, false);
      if (outcome !== 'done') {
        if (retry && Date.now() - retry.since >= this.lockWaitMs) {
          const translated = translateSqliteError(outcome.busy);
          for (const p of batch) p.reject(translated);
          continue;
        }
        this.queue.unshift(...batch);
        const since = retry?.since ?? Date.now();
        const delayMs = lockRetryDelay(Date.now() - since, retry?.delayMs ?? 0);
        this.retry = { cancel: later(() => this.drain(), delayMs), delayMs, since };
        return;
      }
    }
  }

  /**
   * `wait`: let SQLite's busy handler wait for the lock instead of answering 'busy' at once.
   *
   * The writes first run straight in the transaction. A SAVEPOINT around each would let one
   * fail alone, but SQLite then copies every page a write touches into a sub-journal, a fifth
   * of the CPU of inserting a kudos. Most failures need none: a write refused by its checks
   * (rate limit, allowance, a used Idempotency-Key) throws before it runs any writing
   * statement, and so leaves nothing to undo. A write that fails after it started a writing
   * statement may leave rows behind: then the whole transaction is rolled back and the batch
   * runs again with a SAVEPOINT per write.
   */
  private runBatch(batch: Pending<I, O>[], wait: boolean): { busy: unknown } | 'done' {
    const first = this.attempt(batch, wait, false);
    if (first !== 'dirty') return first;
    const again = this.attempt(batch, wait, true);
    if (again === 'dirty') throw new Error('unreachable: with savepoints every failed write is undone alone');
    return again;
  }

  private attempt(batch: Pending<I, O>[], wait: boolean, savepoints: boolean): { busy: unknown } | 'done' | 'dirty' {
    const db = this.d.db;
    const done: { p: Pending<I, O>; result: O }[] = [];
    const failed: { p: Pending<I, O>; err: unknown }[] = [];
    // Nested better-sqlite3 transactions become SAVEPOINTs inside the outer one.
    const one = savepoints ? db.transaction((input: I) => this.write(input)) : (input: I) => this.write(input);
    const all = db.transaction(() => {
      for (const p of batch) {
        const writesBefore = this.d.writesStarted;
        try {
          done.push({ p, result: one(p.input) });
        } catch (err) {
          // Some errors (I/O, full disk) end the whole transaction: then nothing can commit.
          if (!db.inTransaction) throw err;
          if (!savepoints && this.d.writesStarted !== writesBefore) throw DIRTY;
          failed.push({ p, err });
        }
      }
    });
    try {
      if (wait) all.immediate();
      else this.d.withoutBusyWait(() => all.immediate());
    } catch (err) {
      if (err === DIRTY) return 'dirty';
      // BEGIN IMMEDIATE is the only statement that waits for the lock; once it is held, WAL
      // never answers busy inside the transaction, so nothing of the batch has run.
      if (!wait && isBusy(err) && done.length === 0 && failed.length === 0) return { busy: err };
      const translated = translateSqliteError(err);
      for (const p of batch) p.reject(translated);
      return 'done';
    }
    for (const f of failed) f.p.reject(translateSqliteError(f.err));
    for (const x of done) x.p.resolve(x.result);
    return 'done';
  }
}

/** Thrown to roll back a batch in which a failed write may have left rows behind. */
const DIRTY = new Error('a failed write left changes behind; the batch runs again with savepoints');
