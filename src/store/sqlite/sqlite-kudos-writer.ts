import type { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../../domain/errors.js';
import { committedHere } from '../freshness.js';
import type { KudosRecord } from '../../domain/types.js';
import type { Synchronous } from './sqlite-db.js';
import type { GroupCommit } from './sqlite-group-commit.js';
import type { KudosWrite } from './sqlite-kudos-insert.js';
import type { WriterReply, WriterRequest } from './sqlite-kudos-writer.worker.js';
import { startWorker } from './start-worker.js';
import { fromThreadError } from './thread-errors.js';

/** Where createKudos sends its writes. */
export interface KudosWriter {
  submit(write: KudosWrite): Promise<KudosRecord>;
  /** Commits what is queued and settles every promise, then lets go of the connection. */
  close(): Promise<void>;
}

/** Group commit on the calling thread, with the store's own connection (SqliteWriterMode `event-loop`). */
export function inThreadWriter(commit: GroupCommit<KudosWrite, KudosRecord>): KudosWriter {
  return {
    submit: (write) => commit.submit(write),
    close: async () => commit.flush(),
  };
}

interface Pending {
  resolve: (kudos: KudosRecord) => void;
  reject: (err: unknown) => void;
}

/**
 * The process's kudos writer thread (sqlite-kudos-writer.worker.ts), shared by every open
 * file-backed store, each with a connection of its own there. Started on the first write, so
 * a store that only reads never starts it; it keeps the process alive only while writes are
 * under way. If the thread dies, its writes fail with 503 and the next write starts a new one.
 */
class WriterThread {
  private worker: Worker | null = null;
  /** Connections not closed yet. */
  private readonly conns = new Set<number>();
  private readonly pending = new Map<number, Pending>();
  private readonly closing = new Map<number, () => void>();
  private outbox = new Map<number, { seq: number; write: KudosWrite }[]>();
  /** Writes posted to the thread and not answered yet: while any are, the thread is busy with them. */
  private unanswered = 0;
  private nextConn = 1;
  private nextSeq = 1;

  connect(file: string, synchronous: Synchronous): KudosWriter {
    const conn = this.nextConn++;
    // The thread this connection was opened on: a new thread (after a crash) must open it again.
    const entry = { openedOn: null as Worker | null };
    this.conns.add(conn);
    return {
      submit: (write) => {
        if (!this.conns.has(conn)) return Promise.reject(new StoreUnavailableError('The sqlite store is closed.'));
        const worker = this.ensureWorker();
        if (entry.openedOn !== worker) {
          worker.postMessage({ type: 'open', conn, file, synchronous } satisfies WriterRequest);
          entry.openedOn = worker;
        }
        return this.enqueue(conn, write);
      },
      close: () => this.disconnect(conn, entry.openedOn),
    };
  }

  private enqueue(conn: number, write: KudosWrite): Promise<KudosRecord> {
    const seq = this.nextSeq++;
    const promise = new Promise<KudosRecord>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    let items = this.outbox.get(conn);
    if (!items) this.outbox.set(conn, (items = []));
    items.push({ seq, write });
    // An idle thread gets the write as soon as the current task is done (writes started together
    // travel as one message), not at the end of the event-loop pass: holding every post of a pass
    // until its end made the event loop and the writer thread take turns in lockstep, each idle
    // while the other worked. A thread that has not answered earlier writes is most likely still
    // committing them and would not start on this one before it is done, so this one waits, with
    // the others of this pass, for that answer or the end of the pass, whichever comes first (a
    // thread that finished meanwhile waits at most the rest of the pass). That makes one message
    // per pass instead of one per post: each costs the event loop a structured clone and a wake-up
    // of the thread (~7 % of its time per post in a profile), and what reaches the thread during a
    // commit makes its next group all the same (GroupCommit).
    if (this.outbox.size === 1 && items.length === 1) {
      if (this.unanswered === 0) queueMicrotask(() => this.post());
      else setImmediate(() => this.post());
    }
    this.keepAlive();
    return promise;
  }

  private post(): void {
    const outbox = this.outbox;
    this.outbox = new Map();
    for (const [conn, items] of outbox) {
      if (!this.worker) continue;
      this.unanswered += items.length;
      this.worker.postMessage({ type: 'write', conn, items } satisfies WriterRequest);
    }
  }

  /** The thread stays, idle and unreferenced, for the next store this process opens. */
  private async disconnect(conn: number, openedOn: Worker | null): Promise<void> {
    this.conns.delete(conn);
    const worker = this.worker;
    if (!worker || openedOn !== worker) return;
    this.post();
    await new Promise<void>((resolve) => {
      this.closing.set(conn, resolve);
      this.keepAlive();
      worker.postMessage({ type: 'close', conn } satisfies WriterRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('sqlite-kudos-writer.worker');
    worker.on('message', (m: WriterReply) => this.receive(m));
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new StoreUnavailableError(`The sqlite writer thread stopped (${why}).`));
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private receive(m: WriterReply): void {
    if (m.type === 'results') {
      // The thread's connection committed: reads from here on must ask the database again.
      committedHere();
      this.unanswered -= m.items.length;
      // The thread has finished a batch: what waited for the end of this pass goes now.
      if (this.outbox.size > 0) this.post();
      for (const r of m.items) {
        const p = this.pending.get(r.seq);
        if (!p) continue;
        this.pending.delete(r.seq);
        if ('kudos' in r) p.resolve(r.kudos);
        else p.reject(fromThreadError(r.error));
      }
    } else {
      this.closing.get(m.conn)?.();
      this.closing.delete(m.conn);
    }
    this.keepAlive();
  }

  private failAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.outbox.clear();
    this.unanswered = 0;
    for (const p of pending) p.reject(err);
    for (const done of this.closing.values()) done();
    this.closing.clear();
  }

  /** Stops the thread as a crash would (tests of what its writers then see). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Holds the process open while answers are owed; an idle thread never does. */
  private keepAlive(): void {
    if (!this.worker) return;
    if (this.pending.size > 0 || this.closing.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

let shared: WriterThread | null = null;

/** A connection on the process's kudos writer thread to the database file `file`. */
export function writerThreadFor(file: string, synchronous: Synchronous): KudosWriter {
  shared ??= new WriterThread();
  return shared.connect(file, synchronous);
}

/** Terminates the writer thread as if it had crashed; for tests. */
export function killWriterThread(): Promise<void> {
  return shared?.kill() ?? Promise.resolve();
}
