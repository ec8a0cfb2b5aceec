import type { SqliteDb } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';

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
 * together in one IMMEDIATE transaction, each inside its own SAVEPOINT (a failing write rolls
 * back alone and rejects alone), and every promise settles only after the shared COMMIT, so
 * a resolved write is as durable as one committed by itself.
 */
export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;

  /**
   * `write` runs inside the transaction and returns a key for `load`, which runs after the
   * commit and builds the results for all successful writes of a batch at once.
   */
  constructor(
    private readonly d: SqliteDb,
    private readonly write: (input: I) => string,
    private readonly load: (keys: string[]) => Map<string, O>,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs everything queued now; called by the timer and before the connection closes. */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) this.runBatch(this.queue.splice(0, MAX_BATCH));
  }

  private runBatch(batch: Pending<I, O>[]): void {
    const db = this.d.db;
    const done: { p: Pending<I, O>; key: string }[] = [];
    const failed: { p: Pending<I, O>; err: unknown }[] = [];
    // Nested better-sqlite3 transactions become SAVEPOINTs inside the outer one.
    const one = db.transaction((input: I) => this.write(input));
    const all = db.transaction(() => {
      for (const p of batch) {
        try {
          done.push({ p, key: one(p.input) });
        } catch (err) {
          // Some errors (I/O, full disk) end the whole transaction: then nothing can commit.
          if (!db.inTransaction) throw err;
          failed.push({ p, err });
        }
      }
    });
    try {
      all.immediate();
    } catch (err) {
      const translated = translateSqliteError(err);
      for (const p of batch) p.reject(translated);
      return;
    }
    for (const f of failed) f.p.reject(translateSqliteError(f.err));
    if (done.length === 0) return;
    let results: Map<string, O>;
    try {
      results = this.load(done.map((x) => x.key));
    } catch (err) {
      const translated = translateSqliteError(err);
      for (const x of done) x.p.reject(translated);
      return;
    }
    for (const x of done) {
      const r = results.get(x.key);
      if (r === undefined) x.p.reject(new Error(`write ${x.key} committed but could not be read back`));
      else x.p.resolve(r);
    }
  }
}
