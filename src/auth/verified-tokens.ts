import type { TokenClaims } from './tokens.js';

interface Entry {
  claims: TokenClaims;
  expiresAtMs: number;
}

/**
 * Claims of user tokens whose signature, issuer, audience and expiry were already checked, until
 * they expire. A client sends the same token with every request, and verifying it again cost
 * about as much as the rest of the authentication. Only the signature check is skipped: whether
 * the user is still active and the token version still current is looked up on every request.
 * Bounded: when full, the entry remembered first is dropped. Expired entries go as new ones come
 * (dropExpired), so it holds about the tokens issued within one JWT_TTL rather than filling up
 * to its bound (some 4 MB) over the weeks a process runs, with tokens nobody sends any more.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly max = 10_000, private readonly now: () => number = Date.now) {}

  get(token: string): TokenClaims | null {
    const e = this.entries.get(token);
    if (!e) return null;
    if (e.expiresAtMs <= this.now()) {
      this.entries.delete(token);
      return null;
    }
    return e.claims;
  }

  /** `exp` is the token's own expiry claim, in seconds since the epoch. */
  remember(token: string, claims: TokenClaims, exp: number): void {
    this.dropExpired();
    if (this.entries.size >= this.max && !this.entries.has(token)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { claims, expiresAtMs: exp * 1000 });
  }

  /**
   * Every token lives one JWT_TTL and is first sent right after sign-in, so entries are remembered
   * about in the order they expire: the expired ones are at the front. Each goes once, so this
   * costs a look at the first entry per call.
   */
  private dropExpired(): void {
    const now = this.now();
    for (const [token, e] of this.entries) {
      if (e.expiresAtMs > now) return;
      this.entries.delete(token);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
