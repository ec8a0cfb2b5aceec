/**
 * Reading a period's kudos as PairBatches, one slice at a time. Runs on worker threads (see
 * sqlite-pairs.worker.ts) or, for in-memory databases, on the caller's thread.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { Dictionary, ID_SEP, type PairBatch } from '../../domain/pair-batch.js';
import type { Iso } from '../../domain/types.js';

/** Separator of the denormalised id lists on kudos rows; writes check that no id or key holds one. */
export const LIST_SEP = '\x1f';
/** Separates the lists of different kudos in one slice's text; LIST_SEP separates within. */
const ROW_SEP = '\x1e';

/** `values` as one TEXT column, for lists that are only ever read back whole. */
export function joinList(values: readonly string[]): string {
  for (const v of values) {
    if (/[\x1d-\x1f]/.test(v)) throw new Error(`ids and keys may not contain ASCII separators: ${JSON.stringify(v)}`);
  }
  return values.join(LIST_SEP);
}

/** Kudos after `after` (exclusive) up to `until` (inclusive; null = up to `to`), by (createdAt, id). */
export interface Slice {
  after: [Iso, string];
  until: [Iso, string] | null;
  to: Iso;
}

const LIVE = 'removed_at IS NULL AND (created_at, id) > (?, ?) AND created_at < ?';

/**
 * One aggregate row per slice, a column per field, each glued by SQLite into one string: handing
 * five columns × 1M rows to JS one value at a time costs several times more. All the aggregates
 * see the rows in the same order, so the columns line up.
 */
const sliceSql = (bounded: boolean) => `SELECT COUNT(*) AS n,
    group_concat(id, char(31)) AS ids, group_concat(created_at, char(31)) AS ats,
    group_concat(giver_id || char(31) || recipient_ids, char(30)) AS people,
    group_concat(behaviour_keys, char(30)) AS behaviours
  FROM (SELECT id, created_at, giver_id, recipient_ids, behaviour_keys FROM kudos
    WHERE removed_at IS NULL AND (created_at, id) > (?, ?) ${bounded ? UNTIL : 'AND created_at < ?'} ORDER BY created_at, id)`;

// The plain `created_at <= ?` ends the index range scan; the row value alone would only filter it
// (as would a second upper bound such as `created_at < to`, which the planner may prefer), and
// every slice would walk the index to the end of the period.
const UNTIL = 'AND created_at <= ? AND (created_at, id) <= (?, ?)';

const BOUND_SQL = `SELECT created_at, id FROM kudos WHERE ${LIVE} ORDER BY created_at, id LIMIT 1 OFFSET ?`;

interface SliceRow {
  n: number;
  ids: string | null;
  ats: string | null;
  /** Per kudos: the giver, then the recipients, LIST_SEP between them. */
  people: string | null;
  behaviours: string | null;
}

/** The slices of [from, to) holding `size` kudos each (the last one fewer), found on the index. */
export function* slicesOf(db: Db, from: Iso, to: Iso, size: number): Generator<Slice> {
  const bound = db.prepare(BOUND_SQL).raw(true);
  let after: [Iso, string] = [from, ''];
  for (;;) {
    const last = bound.get(after[0], after[1], to, size - 1) as [Iso, string] | undefined;
    yield { after, until: last ?? null, to };
    if (!last) return;
    after = last;
  }
}

/** Reads [from, to) as batches of up to `size` kudos, in (createdAt, id) order. */
export function* readRange(reader: SliceReader, db: Db, from: Iso, to: Iso, size: number): Generator<PairBatch> {
  for (const slice of slicesOf(db, from, to, size)) {
    const batch = reader.read(slice);
    if (batch.kudosCount > 0) yield batch;
  }
}

export class SliceReader {
  private readonly bounded: Statement;
  private readonly open: Statement;

  constructor(db: Db) {
    this.bounded = db.prepare(sliceSql(true));
    this.open = db.prepare(sliceSql(false));
  }

  read(s: Slice): PairBatch {
    const row = (s.until
      ? this.bounded.get(s.after[0], s.after[1], s.until[0], s.until[0], s.until[1])
      : this.open.get(s.after[0], s.after[1], s.to)) as SliceRow;
    return toBatch(row);
  }
}

function toBatch(row: SliceRow): PairBatch {
  const n = row.n;
  const peopleLists = n === 0 ? [] : (row.people ?? '').split(ROW_SEP);
  const behaviourLists = n === 0 ? [] : (row.behaviours ?? '').split(ROW_SEP);
  if (peopleLists.length !== n || behaviourLists.length !== n) {
    throw new Error('kudos lists hold a separator character; cannot read the period');
  }
  const people = new Dictionary();
  const person = (id: string) => people.of(id);
  const lists: string[][] = [];
  const listIndex = new Map<string, number>();
  const giver = new Int32Array(n);
  const behaviours = new Int32Array(n);
  const recipientCount = new Int32Array(n);
  const firstPair = new Int32Array(n + 1);
  let recipient = new Int32Array(n + (n >> 2) + 4);
  let pairs = 0;
  for (let k = 0; k < n; k++) {
    const both = peopleLists[k]!;
    const cut = both.indexOf(LIST_SEP);
    giver[k] = person(cut < 0 ? both : both.slice(0, cut));
    const keys = behaviourLists[k]!;
    let list = listIndex.get(keys);
    if (list === undefined) {
      list = lists.length;
      listIndex.set(keys, list);
      lists.push(keys === '' ? [] : keys.split(LIST_SEP));
    }
    behaviours[k] = list;
    firstPair[k] = pairs;
    const text = cut < 0 ? '' : both.slice(cut + 1);
    if (pairs + 1 > recipient.length) recipient = grown(recipient, pairs + 1);
    if (!text.includes(LIST_SEP)) {
      // Most kudos name one person: no array for them.
      if (text !== '') recipient[pairs++] = person(text);
    } else {
      const ids = text.split(LIST_SEP);
      if (pairs + ids.length > recipient.length) recipient = grown(recipient, pairs + ids.length);
      for (const id of ids) recipient[pairs++] = person(id);
    }
    recipientCount[k] = pairs - firstPair[k]!;
  }
  firstPair[n] = pairs;
  return {
    kudosCount: n,
    // SQLite already joined the ids with the separator PairBatch uses.
    kudosIds: n === 0 ? '' : (row.ids ?? ''),
    createdAtMs: parseTimes(row.ats ?? '', n),
    giver,
    behaviours,
    recipientCount,
    firstPair,
    recipient: recipient.slice(0, pairs),
    people: people.values,
    behaviourLists: lists,
  };
}

function grown(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(need * 2);
  bigger.set(a);
  return bigger;
}

const ISO_LENGTH = 24;

/**
 * Epoch ms of `n` ISO timestamps glued by ID_SEP. Shine stores the toISOString() form
 * (YYYY-MM-DDTHH:mm:ss.sssZ), which is read by position without a string per timestamp;
 * anything else goes through Date.parse.
 */
function parseTimes(text: string, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  if (text.length === n * (ISO_LENGTH + 1) - 1) {
    const digit = (i: number) => text.charCodeAt(i) - 48;
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      const o = k * (ISO_LENGTH + 1);
      ok = text[o + 10] === 'T' && text[o + 19] === '.' && text[o + 23] === 'Z' && (k === n - 1 || text[o + 24] === ID_SEP);
      const day = daysFromCivil(
        digit(o) * 1000 + digit(o + 1) * 100 + digit(o + 2) * 10 + digit(o + 3),
        digit(o + 5) * 10 + digit(o + 6),
        digit(o + 8) * 10 + digit(o + 9),
      );
      const seconds = (digit(o + 11) * 10 + digit(o + 12)) * 3600 + (digit(o + 14) * 10 + digit(o + 15)) * 60 + digit(o + 17) * 10 + digit(o + 18);
      out[k] = (day * 86_400 + seconds) * 1000 + digit(o + 20) * 100 + digit(o + 21) * 10 + digit(o + 22);
    }
    if (ok) return out;
  }
  const parts = text.split(ID_SEP);
  for (let k = 0; k < n; k++) out[k] = Date.parse(parts[k] ?? '');
  return out;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): Date.UTC, minus the call. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
