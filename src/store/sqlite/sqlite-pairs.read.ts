/**
 * Reading a period's kudos as PairBatches, one slice at a time. Runs on worker threads (see
 * sqlite-pairs.worker.ts) or, for in-memory databases, on the caller's thread.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { ID_SEP } from '../../domain/pair-batch.js';
import type { Iso } from '../../domain/types.js';
import { ID_LIST_COLUMNS, idListBatch, type IdListRow } from './sqlite-id-lists.js';
import { REFS_COLUMN, RefsParser, type RefsRow } from './sqlite-pairs.refs.js';
import { SeqNames } from './sqlite-score-refs.js';
import type { SliceBatch } from './sqlite-slice-batch.js';

/**
 * The next `size` live kudos after (created_at, id) `after` and before `to`, in that order,
 * as one aggregate row: handing columns × 1M rows to JS one value at a time costs several times
 * more than SQLite gluing each column into one run of bytes. BLOB, not TEXT: turning megabytes
 * into a JS string costs more than parsing them. All the aggregates see the rows in the same
 * order, so the columns line up. LIMIT ends the index range scan (no separate query to find
 * where a slice ends); the slice's last key is where the next one starts.
 */
const sliceSql = (columns: string, read: string) => `SELECT COUNT(*) AS n, CAST(group_concat(id, char(31)) AS BLOB) AS ids, ${columns}
  FROM (SELECT id, created_at, ${read} FROM kudos
    WHERE removed_at IS NULL AND (created_at, id) > (?, ?) AND created_at < ? ORDER BY created_at, id LIMIT ?)`;

/** The two ways to read a slice; exported for the test that checks their query plans. */
export const SLICE_SQL = {
  refs: sliceSql(REFS_COLUMN, 'score_refs'),
  idLists: sliceSql(ID_LIST_COLUMNS, 'giver_id, recipient_ids, behaviour_keys'),
};

interface Slice {
  batch: SliceBatch;
  /** (created_at, id) of the slice's last kudos; null when it is empty. */
  last: [Iso, string] | null;
}

export class SliceReader {
  private readonly refs: Statement;
  private readonly idLists: Statement;
  private readonly parser: RefsParser;
  /** Slices that had to be read through the id lists (tests and diagnostics). */
  idListReads = 0;

  constructor(db: Db) {
    this.refs = db.prepare(SLICE_SQL.refs);
    this.idLists = db.prepare(SLICE_SQL.idLists);
    this.parser = new RefsParser(new SeqNames(db, 'users'), new SeqNames(db, 'behaviours'));
  }

  /** Up to `size` kudos after `after`, before `to`. */
  read(after: [Iso, string], to: Iso, size: number): Slice {
    const row = this.refs.get(after[0], after[1], to, size) as RefsRow;
    const fast = this.parser.parse(row);
    if (fast) return { batch: fast.batch, last: fast.lastAt === null ? null : [fast.lastAt, lastId(row.ids)] };
    // Another snapshot than the row above: the slice is whatever this read finds after `after`,
    // and the next slice starts after its last kudos, so the key space is still partitioned.
    this.idListReads++;
    const slow = this.idLists.get(after[0], after[1], to, size) as IdListRow;
    const batch = idListBatch(slow);
    const lastAt = slow.ats === null ? null : slow.ats.slice(slow.ats.lastIndexOf(ID_SEP) + 1);
    return { batch, last: lastAt === null || batch.kudosCount === 0 ? null : [lastAt, lastId(slow.ids)] };
  }
}

function lastId(ids: Uint8Array | null): string {
  if (ids === null) return '';
  const start = ids.lastIndexOf(SEP_BYTE) + 1;
  return Buffer.from(ids.buffer, ids.byteOffset + start, ids.byteLength - start).toString('utf8');
}

const SEP_BYTE = ID_SEP.charCodeAt(0);

/** Reads [from, to) as batches of up to `size` kudos, in (createdAt, id) order. */
export function* readRange(reader: SliceReader, from: Iso, to: Iso, size: number): Generator<SliceBatch> {
  let after: [Iso, string] = [from, ''];
  for (;;) {
    const { batch, last } = reader.read(after, to, size);
    if (batch.kudosCount > 0) yield batch;
    if (!last || batch.kudosCount < size) return;
    after = last;
  }
}
