import { ipKeyGenerator, rateLimit, type Options, type Store as RateStore } from 'express-rate-limit';
import type { Request } from 'express';
import { RateLimitedError } from '../domain/errors.js';
import type { Store } from '../store/store.js';

/**
 * express-rate-limit counting in our own store, so limits hold across several Shine processes
 * sharing one database (a process-local MemoryStore would multiply the limit by N).
 */
class SharedCounterStore implements RateStore {
  windowMs = 60_000;
  localKeys = false;
  constructor(private readonly store: Store, readonly prefix: string) {}
  init(options: Options): void {
    this.windowMs = options.windowMs;
  }
  async increment(key: string) {
    const { count, resetAtMs } = await this.store.hitCounter(this.prefix + key, this.windowMs, Date.now());
    return { totalHits: count, resetTime: new Date(resetAtMs) };
  }
  async decrement(key: string) {
    await this.store.decrementCounter(this.prefix + key);
  }
  async resetKey(key: string) {
    await this.store.resetCounter(this.prefix + key);
  }
}

interface LimitOptions {
  store: Store;
  name: string;
  windowSeconds: number;
  max: number;
  key: (req: Request) => string | null;
  /** Count only failed requests (login): a correct password does not use up attempts. */
  failuresOnly?: boolean;
}

export function sharedRateLimit(o: LimitOptions) {
  return rateLimit({
    windowMs: o.windowSeconds * 1000,
    limit: o.max,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new SharedCounterStore(o.store, `rl:${o.name}:`),
    skipSuccessfulRequests: o.failuresOnly ?? false,
    skip: (req) => o.key(req) === null,
    keyGenerator: (req) => o.key(req) ?? '',
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, res, next) => {
      // Draft-7 header: "limit=10, remaining=0, reset=840"; a bare /t=/ would match "limit=".
      const reset = (res.getHeader('RateLimit') as string | undefined)?.match(/\breset=(\d+)/)?.[1];
      next(new RateLimitedError(Math.max(1, Number(reset ?? o.windowSeconds))));
    },
  });
}

export const ipKey = (req: Request): string => ipKeyGenerator(req.ip ?? 'unknown');
