/**
 * Behaviour lists ("combos") of kudos: each distinct set of behaviour keys gets one entry with
 * its sorted keys and its base value (mean weight), so a million kudos share a few hundred.
 */
import { compareStrings } from './scoring-order.js';
import { DEFAULT_WEIGHT } from './scoring-rules.js';

export interface Combo {
  /** Sorted, without duplicates. */
  keys: string[];
  /** Mean weight of the keys, unrounded. */
  base: number;
}

/** Key numbers are packed 10 bits each into one integer code while they fit. */
const KEY_BITS = 1024;
const MAX_PACKED = 5;

export class ComboTable {
  readonly combos: Combo[] = [];
  private readonly byCode = new Map<number | string, number>();
  private readonly keyNo = new Map<string, number>();
  private readonly scratch = new Int32Array(MAX_PACKED);

  constructor(private readonly weights: Readonly<Record<string, number>>) {}

  /** The combo index of a behaviour list; the same for any order of the same keys. */
  indexOf(keys: readonly string[]): number {
    const code = this.code(keys);
    let c = this.byCode.get(code);
    if (c === undefined) {
      c = this.combos.length;
      this.byCode.set(code, c);
      const sorted = [...new Set(keys)].sort(compareStrings);
      this.combos.push({ keys: sorted, base: this.meanWeight(sorted) });
    }
    return c;
  }

  private meanWeight(sorted: readonly string[]): number {
    if (sorted.length === 0) return DEFAULT_WEIGHT;
    let sum = 0;
    // hasOwn: a key such as "constructor" must not find Object.prototype's member.
    for (const key of sorted) sum += Object.hasOwn(this.weights, key) ? (this.weights[key] ?? DEFAULT_WEIGHT) : DEFAULT_WEIGHT;
    return sum / sorted.length;
  }

  /**
   * Sorted, de-duplicated key numbers (1-based) packed in base 1024: no digit is 0, so lists of
   * different lengths cannot collide. Hashing one small integer is much cheaper than building
   * and hashing a joined string for every kudos; the string is the fallback for huge catalogs.
   */
  private code(keys: readonly string[]): number | string {
    const n = keys.length;
    if (n === 1) {
      const only = this.no(keys[0] ?? '');
      if (only < KEY_BITS) return only;
    }
    if (n > MAX_PACKED) return stringCode(keys);
    const s = this.scratch;
    for (let i = 0; i < n; i++) {
      const v = this.no(keys[i] ?? '');
      if (v >= KEY_BITS) return stringCode(keys);
      let j = i;
      for (; j > 0 && (s[j - 1] ?? 0) > v; j--) s[j] = s[j - 1] ?? 0;
      s[j] = v;
    }
    let code = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && s[i] === s[i - 1]) continue;
      code = code * KEY_BITS + (s[i] ?? 0);
    }
    return code;
  }

  private no(key: string): number {
    let v = this.keyNo.get(key);
    if (v === undefined) {
      v = this.keyNo.size + 1;
      this.keyNo.set(key, v);
    }
    return v;
  }
}

function stringCode(keys: readonly string[]): string {
  return [...new Set(keys)].sort(compareStrings).join('\n');
}
