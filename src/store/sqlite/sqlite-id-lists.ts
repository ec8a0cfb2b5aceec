/**
 * The denormalised id lists on kudos rows (recipient_ids, behaviour_keys): joined on write, read
 * back by kudos records (sqlite-kudos-records.ts), and by period scoring for slices holding a
 * kudos without score_refs (sqlite-score-refs.ts), which is slower than reading numbers but needs
 * nothing else.
 */
import { Dictionary, ID_SEP } from '../../domain/pair-batch.js';
import { IsoReader, ISO_LENGTH } from './iso-ms.js';
import { ownBytes, type SliceBatch } from './sqlite-slice-batch.js';

/** Separator of the id lists on kudos rows; writes check that no id or key holds one. */
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

/** A list joinList wrote, back as its values. */
export function splitList(text: string): string[] {
  return text === '' ? [] : text.split(LIST_SEP);
}

/** The aggregate columns of a slice read through the id lists (each NULL when the slice is empty). */
export const ID_LIST_COLUMNS = `group_concat(created_at, char(31)) AS ats,
  group_concat(giver_id || char(31) || recipient_ids, char(30)) AS people,
  group_concat(behaviour_keys, char(30)) AS behaviours`;

export interface IdListRow {
  n: number;
  ids: Uint8Array | null;
  ats: string | null;
  /** Per kudos: the giver, then the recipients, LIST_SEP between them. */
  people: string | null;
  behaviours: string | null;
}

export function idListBatch(row: IdListRow): SliceBatch {
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
      lists.push(splitList(keys));
    }
    behaviours[k] = list;
    firstPair[k] = pairs;
    const text = cut < 0 ? '' : both.slice(cut + 1);
    const ids = splitList(text);
    if (pairs + ids.length > recipient.length) recipient = grown(recipient, pairs + ids.length);
    for (const id of ids) recipient[pairs++] = person(id);
    recipientCount[k] = ids.length;
  }
  firstPair[n] = pairs;
  return {
    kudosCount: n,
    // SQLite already joined the ids with the separator PairBatch uses.
    kudosIds: ownBytes(row.ids),
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

export function grown(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}

/** Epoch ms of `n` timestamps glued by ID_SEP; anything not in the canonical form goes through Date.parse. */
function parseTimes(text: string, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  // UTF-8: a character beyond ASCII becomes bytes that are no digit, so it cannot pass as one.
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === n * (ISO_LENGTH + 1) - 1) {
    const iso = new IsoReader();
    let ok = true;
    for (let k = 0; k < n && ok; k++) {
      const o = k * (ISO_LENGTH + 1);
      out[k] = iso.at(bytes, o);
      ok = !Number.isNaN(out[k]) && (k === n - 1 || bytes[o + ISO_LENGTH] === SEP_BYTE);
    }
    if (ok) return out;
  }
  const parts = text.split(ID_SEP);
  for (let k = 0; k < n; k++) out[k] = Date.parse(parts[k] ?? '');
  return out;
}

const SEP_BYTE = ID_SEP.charCodeAt(0);
