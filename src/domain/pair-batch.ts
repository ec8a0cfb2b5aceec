/**
 * A period's (kudos, recipient) pairs in bulk, column by column. Scoring a million pairs one
 * object at a time spends most of its time making and hashing objects and strings; a batch
 * carries integers into small dictionaries instead, and can cross a worker-thread boundary as a
 * few typed arrays and strings.
 */
import type { Store } from '../store/store.js';
import type { Iso, ScoringPair } from './types.js';

/** Joins the kudos ids of a batch; ids never contain ASCII control characters. */
export const ID_SEP = '\x1f';

export interface PairBatch {
  kudosCount: number;
  /** The kudos ids joined by ID_SEP: one string to copy, split only when ids are needed. */
  kudosIds: string;
  /** Creation instants in epoch milliseconds, per kudos. */
  createdAtMs: Float64Array;
  /** Per kudos: index into `people`. */
  giver: Int32Array;
  /** Per kudos: index into `behaviourLists`. */
  behaviours: Int32Array;
  /**
   * Per kudos: how many recipients it names (its group size for scoring). Usually
   * firstPair[k + 1] - firstPair[k], but a batch built from shuffled pairs may hold a kudos's
   * pairs in several entries.
   */
  recipientCount: Int32Array;
  /** kudosCount + 1 offsets: kudos k's pairs are recipient[firstPair[k] .. firstPair[k + 1]). */
  firstPair: Int32Array;
  /** Per pair: index into `people`. */
  recipient: Int32Array;
  /** User ids referenced by this batch. */
  people: string[];
  /** Distinct behaviour-key lists of this batch, as stored. */
  behaviourLists: string[][];
}

/** The typed arrays of a batch, for postMessage's transfer list. */
export function transferablesOf(b: PairBatch): ArrayBuffer[] {
  return [b.createdAtMs, b.giver, b.behaviours, b.recipientCount, b.firstPair, b.recipient].map((a) => a.buffer as ArrayBuffer);
}

const CONTROL = /[\x00-\x1f]/;

function isoMs(iso: Iso, kudosId: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`kudos ${kudosId} has an invalid createdAt`);
  return ms;
}

function grow<T extends Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  bigger.set(a);
  return bigger;
}

/** Gives each distinct string a small integer, in order of first appearance. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}

/** Builds one batch from kudos (or from pairs, consecutive pairs of one kudos grouped). */
export class PairBatchBuilder {
  private ids: string[] = [];
  private at = new Float64Array(256);
  private giver = new Int32Array(256);
  private behaviours = new Int32Array(256);
  private count = new Int32Array(256);
  private firstPair = new Int32Array(257);
  private recipient = new Int32Array(256);
  private pairs = 0;
  private readonly people = new Dictionary();
  private readonly listIndex = new Map<string, number>();
  private readonly lists: string[][] = [];
  private lastKudosId: string | null = null;

  get kudosCount(): number {
    return this.ids.length;
  }

  /** `listKey` identifies the behaviour list (any string equal for equal lists), to skip joining. */
  addKudos(
    kudosId: string, giverId: string, createdAtMs: number, recipientIds: readonly string[], behaviourKeys: readonly string[],
    listKey?: string, recipientCount = recipientIds.length,
  ): void {
    if (CONTROL.test(kudosId)) throw new Error(`kudos id ${JSON.stringify(kudosId)} contains a control character`);
    const k = this.ids.length;
    this.ids.push(kudosId);
    this.lastKudosId = kudosId;
    this.at = grow(this.at, k + 1);
    this.giver = grow(this.giver, k + 1);
    this.behaviours = grow(this.behaviours, k + 1);
    this.count = grow(this.count, k + 1);
    this.firstPair = grow(this.firstPair, k + 2);
    this.at[k] = createdAtMs;
    this.giver[k] = this.people.of(giverId);
    this.behaviours[k] = this.list(behaviourKeys, listKey);
    this.count[k] = recipientCount;
    this.firstPair[k] = this.pairs;
    for (const r of recipientIds) this.addRecipient(r);
  }

  /** A pair; a pair of the same kudos as the previous one adds a recipient to it. */
  addPair(p: ScoringPair): void {
    if (p.kudosId === this.lastKudosId) this.addRecipient(p.recipientId);
    else this.addKudos(p.kudosId, p.giverId, isoMs(p.createdAt, p.kudosId), [p.recipientId], p.behaviourKeys, undefined, p.recipientCount);
  }

  build(): PairBatch {
    const K = this.ids.length;
    this.firstPair = grow(this.firstPair, K + 1);
    this.firstPair[K] = this.pairs;
    return {
      kudosCount: K,
      kudosIds: this.ids.join(ID_SEP),
      createdAtMs: this.at.slice(0, K),
      giver: this.giver.slice(0, K),
      behaviours: this.behaviours.slice(0, K),
      recipientCount: this.count.slice(0, K),
      firstPair: this.firstPair.slice(0, K + 1),
      recipient: this.recipient.slice(0, this.pairs),
      people: this.people.values,
      behaviourLists: this.lists,
    };
  }

  private addRecipient(id: string): void {
    this.recipient = grow(this.recipient, this.pairs + 1);
    this.recipient[this.pairs++] = this.people.of(id);
  }

  private list(keys: readonly string[], listKey = keys.join(ID_SEP)): number {
    let i = this.listIndex.get(listKey);
    if (i === undefined) {
      i = this.lists.length;
      this.listIndex.set(listKey, i);
      this.lists.push([...keys]);
    }
    return i;
  }
}

/** The kudos ids of a batch as an array. */
export function kudosIdsOf(b: PairBatch): string[] {
  return b.kudosCount === 0 ? [] : b.kudosIds.split(ID_SEP);
}

/** The batch as pair objects, for consumers that need few of them or small periods. */
export function* pairsOf(b: PairBatch): Generator<ScoringPair> {
  const ids = kudosIdsOf(b);
  for (let k = 0; k < b.kudosCount; k++) {
    const from = b.firstPair[k]!;
    const to = b.firstPair[k + 1]!;
    const common = {
      kudosId: ids[k]!,
      giverId: b.people[b.giver[k]!]!,
      createdAt: new Date(b.createdAtMs[k]!).toISOString(),
      recipientCount: b.recipientCount[k]!,
      behaviourKeys: b.behaviourLists[b.behaviours[k]!]!,
    };
    for (let p = from; p < to; p++) yield { ...common, recipientId: b.people[b.recipient[p]!]! };
  }
}

/** Pairs as one batch (tests and small inputs). */
export function batchOf(pairs: Iterable<ScoringPair>): PairBatch {
  const b = new PairBatchBuilder();
  for (const p of pairs) b.addPair(p);
  return b.build();
}

/** A period's pairs one by one, for small periods and tests; scoring reads batches. */
export async function* periodPairs(store: Pick<Store, 'periodPairBatches'>, from: Iso, to: Iso): AsyncGenerator<ScoringPair> {
  for await (const b of store.periodPairBatches(from, to)) yield* pairsOf(b);
}
