import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32, as ULID
const RANDOM_DIGITS = 16;

/**
 * Random bytes drawn in bulk: one call into the CSPRNG per 256 ids instead of one per id (a
 * per-id randomBytes(16) was 2 % of the event loop's time when posting kudos).
 */
const pool = Buffer.alloc(RANDOM_DIGITS * 256);
let poolAt = pool.length;

function randomDigits(): number[] {
  if (poolAt + RANDOM_DIGITS > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const digits = new Array<number>(RANDOM_DIGITS);
  for (let i = 0; i < RANDOM_DIGITS; i++) digits[i] = (pool[poolAt + i] as number) & 31;
  poolAt += RANDOM_DIGITS;
  return digits;
}

/**
 * A generator of time-sortable unique ids (ULID layout: 10 chars of ms time + 16 of
 * randomness), monotonic so that ids minted in the same millisecond, or while the clock steps
 * back, still sort in creation order. The process shares one (newId); tests make their own.
 */
export function idGenerator(): (nowMs?: number) => string {
  let lastMs = -1;
  let lastRandom: number[] = [];
  return (nowMs = Date.now()) => {
    let rand: number[];
    if (nowMs <= lastMs) {
      rand = increment(lastRandom);
      nowMs = lastMs;
    } else {
      rand = randomDigits();
    }
    lastMs = nowMs;
    lastRandom = rand;
    let id = '';
    let t = nowMs;
    for (let i = 0; i < 10; i++) {
      id = ALPHABET[t % 32] + id;
      t = Math.floor(t / 32);
    }
    for (const d of rand) id += ALPHABET[d];
    return id;
  };
}

/** The process's id generator. */
export const newId = idGenerator();

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
  return randomDigits();
}

/** A url-safe random secret (display tokens, generated passwords). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
