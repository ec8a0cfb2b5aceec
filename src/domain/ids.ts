import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID

let lastMs = -1;
let lastRandom: number[] = [];

/**
 * Time-sortable unique id (ULID layout: 10 chars of ms time + 16 of randomness), monotonic
 * within this process so that ids minted in the same millisecond still sort in creation order.
 */
export function newId(nowMs: number = Date.now()): string {
  let rand: number[];
  if (nowMs <= lastMs) {
    rand = increment(lastRandom);
    nowMs = lastMs;
  } else {
    rand = Array.from(randomBytes(16), (b) => b & 31);
  }
  lastMs = nowMs;
  lastRandom = rand;
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + rand.map((d) => ALPHABET[d]).join('');
}

function increment(digits: number[]): number[] {
  const out = digits.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    const d = out[i] ?? 0;
    if (d < 31) {
      out[i] = d + 1;
      return out;
    }
    out[i] = 0;
  }
  return Array.from(randomBytes(16), (b) => b & 31);
}

/** A url-safe random secret (display tokens, generated passwords). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
