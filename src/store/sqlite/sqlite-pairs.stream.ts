import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { nextTurn } from '../../domain/next-turn.js';
import type { PairBatch } from '../../domain/pair-batch.js';
import type { Iso } from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';
import { translateSqliteError } from './sqlite-errors.js';
import { readRange, SliceReader } from './sqlite-pairs.read.js';
import { toPairBatch } from './sqlite-slice-batch.js';
import { startWorker } from './start-worker.js';
import type { RangeReply, RangeRequest } from './sqlite-pairs.worker.js';

export interface PairStreamOptions {
  /** Kudos per batch at most: large enough to amortise a query, small enough to keep memory flat. */
  sliceKudos?: number;
  /** Reader threads; 0 reads on the calling thread (always so for in-memory databases). */
  workers?: number;
}

/**
 * Large enough that a time range is usually one batch: every batch repeats the names of the
 * people and behaviour lists it names (thousands each), which the threads then copy and map.
 * Small enough to keep memory flat (a 100,000-kudos batch is a few MB).
 */
const DEFAULT_SLICE = 100_000;
const MAX_WORKERS = 4;
/** Time ranges per reader thread: enough that an uneven month still spreads over the threads. */
const RANGES_PER_WORKER = 8;
/** Ranges a thread holds at once; bounds how far results can run ahead of the consumer. */
const IN_FLIGHT_PER_WORKER = 2;

/** A reader thread on its own read-only connection to `file`. */
function startReader(file: string): Worker {
  return startWorker('sqlite-pairs.worker', { workerData: { file } });
}

/** [from, to) cut into `n` equal spans of time, as ISO strings (which compare as the instants). */
function timeRanges(from: Iso, to: Iso, n: number): [Iso, Iso][] {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (!(b > a) || n <= 1) return [[from, to]];
  const cuts = Array.from({ length: n - 1 }, (_, i) => new Date(a + Math.floor(((b - a) * (i + 1)) / n)).toISOString());
  const edges = [from, ...new Set(cuts), to];
  return edges.slice(1).map((end, i) => [edges[i]!, end]);
}


/**
 * The period's pair batches in (createdAt, id) order. A 1M-kudos period is seconds of SQLite
 * and parsing: worker threads do that on their own connections, one time range each at a time,
 * so the event loop keeps serving requests and live events and only maps the batches in.
 * Ranges and the slices within them partition the (createdAt, id) key space, so every kudos is
 * read exactly once even though each slice is its own snapshot.
 */
export async function* pairBatches(d: SqliteDb, from: Iso, to: Iso, o: PairStreamOptions = {}): AsyncGenerator<PairBatch> {
  const size = o.sliceKudos ?? DEFAULT_SLICE;
  const inMemory = d.file === '' || d.file === ':memory:';
  const workers = inMemory ? 0 : (o.workers ?? Math.min(MAX_WORKERS, availableParallelism()));
  try {
    if (workers === 0) {
      const reader = new SliceReader(d.db);
      for (const batch of readRange(reader, from, to, size)) {
        yield toPairBatch(batch);
        await nextTurn();
      }
      return;
    }
    const ranges = timeRanges(from, to, workers * RANGES_PER_WORKER);
    const pool = new ReaderPool(d.file, workers);
    try {
      ranges.forEach(([a, b], seq) => pool.request({ seq, from: a, to: b, sliceKudos: size }));
      for (let seq = 0; seq < ranges.length; seq++) yield* pool.take(seq);
    } finally {
      // Not awaited: stopping a thread takes tens of ms, and the caller has what it needs.
      pool.close();
    }
  } catch (err) {
    throw translateSqliteError(err);
  }
}

interface RangeResult {
  batches: PairBatch[];
  done: boolean;
  error: unknown;
  wake: (() => void) | null;
}

/** Reader threads fed time ranges in order, each as soon as it has room; results kept per range. */
class ReaderPool {
  private readonly workers: { thread: Worker; load: number }[];
  private readonly queue: RangeRequest[] = [];
  private readonly results = new Map<number, RangeResult>();
  private readonly owner = new Map<number, { thread: Worker; load: number }>();

  constructor(file: string, count: number) {
    this.workers = Array.from({ length: count }, () => {
      const w = { thread: startReader(file), load: 0 };
      w.thread.on('message', (reply: RangeReply) => this.receive(reply));
      w.thread.on('error', (err) => this.failAll(err));
      w.thread.on('exit', (code) => {
        if (code !== 0) this.failAll(new Error(`pair reader thread exited with code ${code}`));
      });
      return w;
    });
  }

  request(r: RangeRequest): void {
    this.results.set(r.seq, { batches: [], done: false, error: null, wake: null });
    this.queue.push(r);
    this.pump();
  }

  /** The batches of one range, in order, as they arrive. */
  async *take(seq: number): AsyncGenerator<PairBatch> {
    const r = this.results.get(seq);
    if (!r) throw new Error(`no range ${seq}`);
    for (;;) {
      const batch = r.batches.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (r.error) throw r.error;
      if (r.done) {
        this.results.delete(seq);
        return;
      }
      await new Promise<void>((resolve) => (r.wake = resolve));
    }
  }

  close(): void {
    for (const w of this.workers) {
      w.thread.removeAllListeners('exit');
      w.thread.terminate().catch(() => undefined);
    }
  }

  private pump(): void {
    for (;;) {
      const free = this.workers.reduce((best, w) => (w.load < best.load ? w : best));
      if (free.load >= IN_FLIGHT_PER_WORKER) return;
      const next = this.queue.shift();
      if (!next) return;
      free.load++;
      this.owner.set(next.seq, free);
      free.thread.postMessage(next);
    }
  }

  private receive(reply: RangeReply): void {
    const r = this.results.get(reply.seq);
    if (!r) return;
    if ('batch' in reply) r.batches.push(toPairBatch(reply.batch));
    else {
      if ('error' in reply) r.error = Object.assign(new Error(reply.error.message), { code: reply.error.code ?? undefined });
      else r.done = true;
      const w = this.owner.get(reply.seq);
      this.owner.delete(reply.seq);
      if (w) w.load--;
      this.pump();
    }
    this.wakeUp(r);
  }

  private failAll(err: unknown): void {
    for (const r of this.results.values()) {
      r.error ??= err;
      this.wakeUp(r);
    }
  }

  private wakeUp(r: RangeResult): void {
    const wake = r.wake;
    r.wake = null;
    wake?.();
  }
}
