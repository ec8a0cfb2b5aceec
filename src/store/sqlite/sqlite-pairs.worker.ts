/**
 * Worker thread that reads time ranges of a period's kudos from its own read-only connection
 * and sends them back as SliceBatches (typed arrays and id bytes transferred, not copied), then `done`.
 */
import Database from './driver.js';
import type { Database as Db } from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { Iso } from '../../domain/types.js';
import { BUSY_TIMEOUT_MS } from './sqlite-db.js';
import { readRange, SliceReader } from './sqlite-pairs.read.js';
import { sliceTransferables, type SliceBatch } from './sqlite-slice-batch.js';

export interface RangeRequest {
  seq: number;
  from: Iso;
  to: Iso;
  sliceKudos: number;
}

export type RangeReply =
  | { seq: number; batch: SliceBatch }
  | { seq: number; done: true }
  | { seq: number; error: { message: string; code: string | null } };

const port = parentPort;
if (!port) throw new Error('sqlite-pairs.worker must run as a worker thread');
const { file } = workerData as { file: string };
let open: { db: Db; reader: SliceReader } | null = null;

port.on('message', ({ seq, from, to, sliceKudos }: RangeRequest) => {
  try {
    if (!open) {
      const db = new Database(file, { fileMustExist: true, readonly: true });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      open = { db, reader: new SliceReader(db) };
    }
    for (const batch of readRange(open.reader, from, to, sliceKudos)) {
      port.postMessage({ seq, batch } satisfies RangeReply, sliceTransferables(batch));
    }
    port.postMessage({ seq, done: true } satisfies RangeReply);
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : null;
    port.postMessage({ seq, error: { message: err instanceof Error ? err.message : String(err), code } } satisfies RangeReply);
  }
});
