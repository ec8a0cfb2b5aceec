import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt (memory-hard) with a per-password salt. Parameters follow OWASP's scrypt guidance
 * (N=2^15, r=8, p=3: 32 MiB per hash). They are stored in each hash, so raising them later keeps
 * old hashes verifiable. A weaker cost is only accepted for the test suite (NODE_ENV=test).
 */
const STANDARD = { N: 2 ** 15, r: 8, p: 3 };
const TEST_ONLY = { N: 2 ** 12, r: 8, p: 1 };
const KEY_LEN = 32;

function params(): { N: number; r: number; p: number } {
  return process.env.NODE_ENV === 'test' && process.env.SHINE_FAST_KDF === '1' ? TEST_ONLY : STANDARD;
}

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const o = params();
  const salt = randomBytes(16);
  const key = await derive(password, salt, o);
  return ['scrypt', o.N, o.r, o.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison; false for malformed hashes rather than throwing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const o = { N: Number(n), r: Number(r), p: Number(p) };
  if (![o.N, o.r, o.p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await derive(password, Buffer.from(saltB64, 'base64'), o);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Spends the same work as a real verification, so "no such email" and "wrong password" take
 * similar time and cannot be told apart: one derivation with the cost new hashes get. Its result
 * is thrown away, so no stored dummy hash is needed (making one on first use made the first
 * unknown-email login take twice as long).
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await derive(password, randomBytes(16), params());
  return false;
}
