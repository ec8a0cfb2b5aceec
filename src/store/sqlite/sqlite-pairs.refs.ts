/**
 * A slice of kudos read through score_refs (sqlite-score-refs.ts): one run of bytes holding, per
 * kudos, its created_at then its score_refs, RS between kudos. SQLite hands it over as a BLOB (a
 * string of that size costs more to make than the whole scan), which is scanned once, byte by
 * byte: no string per kudos, behaviour lists are keyed by a number made of their digits, and
 * people are interned by indexing an array with their seq.
 */
import { grown } from './sqlite-id-lists.js';
import { IsoReader, ISO_LENGTH } from './iso-ms.js';
import type { SeqNames } from './sqlite-score-refs.js';
import { ownBytes, type SliceBatch } from './sqlite-slice-batch.js';

const RS = 0x1e;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const ZERO = 0x30;
/** Far above any headcount; bounds the seq-indexed scratch array should a row hold nonsense. */
const MAX_SEQ = 1 << 24;

/** The aggregate column of a slice read through score_refs; NULL rows drop out of it. */
export const REFS_COLUMN = 'CAST(group_concat(created_at || score_refs, char(30)) AS BLOB) AS facts';

export interface RefsRow {
  n: number;
  ids: Uint8Array | null;
  facts: Uint8Array | null;
}

export interface RefsSlice {
  batch: SliceBatch;
  /** created_at of the last kudos (its id is the last of `ids`). */
  lastAt: string | null;
}

/**
 * Turns slices' strings into batches; keeps a seq-indexed scratch array between slices so that
 * interning a person is one array read.
 */
export class RefsParser {
  /** seq → index into the current batch's people, -1 when not yet seen in it. */
  private local = new Int32Array(0);
  /** Behaviour lists met in earlier slices, by the key scan() gives them: a period repeats the same few thousand. */
  private readonly lists = new Map<number | string, string[]>();

  constructor(private readonly users: SeqNames, private readonly behaviours: SeqNames) {}

  /**
   * null when the slice cannot be read this way: a kudos without score_refs (its row drops out
   * of the aggregate, so fewer records than kudos), a timestamp not in the canonical form, or a
   * number that names nobody. The caller then reads the slice through the id lists.
   */
  parse(row: RefsRow): RefsSlice | null {
    const n = row.n;
    const text = row.facts ?? new Uint8Array(0);
    if (n === 0) return { batch: emptyBatch(), lastAt: null };
    const size = Math.min(this.users.size, MAX_SEQ + 1);
    if (this.local.length < size) this.local = new Int32Array(size).fill(-1);
    const people: string[] = [];
    const seen: number[] = [];
    try {
      return this.scan(n, ownBytes(row.ids), text, people, seen);
    } finally {
      for (const s of seen) this.local[s] = -1;
    }
  }

  private scan(n: number, ids: Uint8Array, text: Uint8Array, people: string[], seen: number[]): RefsSlice | null {
    const iso = new IsoReader();
    const createdAtMs = new Float64Array(n);
    const giver = new Int32Array(n);
    const behaviours = new Int32Array(n);
    const recipientCount = new Int32Array(n);
    const firstPair = new Int32Array(n + 1);
    let recipient = new Int32Array(n + (n >> 2) + 4);
    const lists: string[][] = [];
    const listIndex = new Map<number | string, number>();
    let pairs = 0;
    let o = 0;
    let lastAt = 0;
    const end = text.length;
    for (let k = 0; k < n; k++) {
      if (k > 0) {
        if (text[o] !== RS) return null;
        o++;
      }
      lastAt = o;
      const at = o + ISO_LENGTH <= end ? iso.at(text, o) : NaN;
      if (Number.isNaN(at)) return null;
      createdAtMs[k] = at;
      o += ISO_LENGTH;
      firstPair[k] = pairs;
      // The giver, then recipients after commas, up to the semicolon.
      for (let first = true; ; first = false) {
        let seq = 0;
        const from = o;
        for (; o < end && seq <= MAX_SEQ; o++) {
          const c = text[o]! - ZERO;
          if (c < 0 || c > 9) break;
          seq = seq * 10 + c;
        }
        if (o === from || seq === 0 || seq > MAX_SEQ) return null;
        const p = this.person(seq, people, seen);
        if (p < 0) return null;
        if (first) giver[k] = p;
        else {
          if (pairs === recipient.length) recipient = grown(recipient, pairs + 1);
          recipient[pairs++] = p;
        }
        const c = o < end ? text[o++] : -1;
        if (c === SEMICOLON) break;
        if (c !== COMMA) return null;
      }
      recipientCount[k] = pairs - firstPair[k]!;
      // The behaviour list: digits and commas up to the next record. Short lists (all but
      // freak ones) are keyed by a number made of their characters, without a string.
      const from = o;
      let code = 0;
      for (; o < end; o++) {
        const c = text[o]!;
        if (c === RS) break;
        if (c === COMMA) code = code * 12 + 11;
        else if (c >= ZERO && c <= ZERO + 9) code = code * 12 + c - ZERO + 1;
        else return null;
      }
      const key = o - from <= 14 ? code : latin1(text, from, o);
      let list = listIndex.get(key);
      if (list === undefined) {
        const keys = this.lists.get(key) ?? this.behaviourKeys(latin1(text, from, o));
        if (!keys) return null;
        this.lists.set(key, keys);
        list = lists.length;
        listIndex.set(key, list);
        lists.push(keys);
      }
      behaviours[k] = list;
    }
    if (o !== end) return null;
    firstPair[n] = pairs;
    return {
      batch: {
        kudosCount: n,
        // SQLite already joined the ids with the separator PairBatch uses.
        kudosIds: ids,
        createdAtMs,
        giver,
        behaviours,
        recipientCount,
        firstPair,
        recipient: recipient.slice(0, pairs),
        people,
        behaviourLists: lists,
      },
      lastAt: latin1(text, lastAt, lastAt + ISO_LENGTH),
    };
  }

  /** The batch index of person `seq`, -1 when no user has that number. */
  private person(seq: number, people: string[], seen: number[]): number {
    if (seq < this.local.length) {
      const p = this.local[seq]!;
      if (p >= 0) return p;
    }
    const id = this.users.name(seq);
    if (id === undefined) return -1;
    if (seq >= this.local.length) {
      // Someone created since the names were first loaded.
      const bigger = new Int32Array(Math.min(Math.max(seq + 1, this.users.size), MAX_SEQ + 1)).fill(-1);
      bigger.set(this.local);
      this.local = bigger;
    }
    const p = people.length;
    people.push(id);
    this.local[seq] = p;
    seen.push(seq);
    return p;
  }

  /** "3,12" → the behaviour keys; null when a number names no behaviour. */
  private behaviourKeys(list: string): string[] | null {
    if (list === '') return [];
    const keys: string[] = [];
    for (const part of list.split(',')) {
      const seq = /^[1-9][0-9]{0,7}$/.test(part) ? Number(part) : NaN;
      const key = seq <= MAX_SEQ ? this.behaviours.name(seq) : undefined;
      if (key === undefined) return null;
      keys.push(key);
    }
    return keys;
  }
}

/** Bytes already checked to be ASCII digits and punctuation, as a string. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
}

function emptyBatch(): SliceBatch {
  return {
    kudosCount: 0, kudosIds: new Uint8Array(0), createdAtMs: new Float64Array(0), giver: new Int32Array(0), behaviours: new Int32Array(0),
    recipientCount: new Int32Array(0), firstPair: new Int32Array(1), recipient: new Int32Array(0), people: [], behaviourLists: [],
  };
}
