import type { RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { ConflictError, IdempotencyKeyReusedError } from '../domain/errors.js';
import type { ClaimedResponse } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { idempotencyKeyOf } from './routes/kudos.routes.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim this old whose request never answered belonged to a request that died with its process. */
export const IDEMPOTENCY_STALE_MS = 60 * 1000;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set for a write sent with an Idempotency-Key; defineRoute runs it after authorization. */
      idempotency?: IdempotentCall;
    }
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One write sent with an Idempotency-Key. The key is claimed in the database before the write
 * runs, so concurrent retries (on any process) cannot both run it: the first runs, the others get
 * 409 `idempotency_key_in_progress` until it has answered, and every later retry within 24 h gets
 * its answer back. A failed request gives the key back.
 */
export class IdempotentCall {
  /** The pending record this request made, while it is this request's to complete or give back. */
  private claim: ClaimedResponse | null = null;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly userId: string,
    private readonly key: string,
    private readonly method: string,
  ) {}

  /**
   * Claims the key, or answers with the first request's answer and returns true. `path`: the
   * route's own spelling of the request's path (see canonicalPath), so a retry spelled with
   * another letter case or a trailing slash is the same request; `body`: the validated body, so a
   * retry that differs only in how it is spelled (field order, time zone) is the same request too,
   * and one that asks for something else is refused rather than answered with the first's answer.
   * `withheld`: the route's answer holds a credential, which is never stored, so a replay can only
   * say it happened.
   */
  async begin(res: Response, path: string, body: unknown, withheld: boolean): Promise<boolean> {
    const nowMs = this.now();
    const request = requestIdentity(path, body);
    const claim: ClaimedResponse = { userId: this.userId, key: this.key, method: this.method, path: request, createdAt: iso(nowMs) };
    const held = await this.store.claimStoredResponse(claim, iso(nowMs - IDEMPOTENCY_STALE_MS), iso(nowMs - IDEMPOTENCY_TTL_MS));
    if (!held) {
      this.claim = claim;
      return false;
    }
    // A record written before bodies were compared holds the bare path: it still matches its retry.
    if (held.method !== this.method || (held.path !== request && held.path !== path)) throw new IdempotencyKeyReusedError();
    if (held.status === 0) {
      throw new ConflictError('Idempotency-Key', 'A request with this Idempotency-Key is still running; retry in a moment.', 'idempotency_key_in_progress');
    }
    if (withheld) {
      throw new ConflictError(
        'Idempotency-Key',
        'A request with this Idempotency-Key already succeeded. Its answer held a credential, which Shine does not keep; look the result up instead.',
        'idempotency_answer_withheld',
      );
    }
    res.setHeader('Idempotent-Replayed', 'true');
    if (held.body === '') res.status(held.status).end();
    else res.status(held.status).type('application/json').send(held.body);
    return true;
  }

  /** Records the answer (before it is sent, so that a retry after the answer always finds it). */
  async succeeded(status: number, body: string): Promise<void> {
    const claim = this.claim;
    if (!claim) return;
    this.claim = null;
    await this.store.completeStoredResponse(claim, status, body);
  }

  /** Gives the key back: a retry of a request that failed runs again. */
  async failed(): Promise<void> {
    const claim = this.claim;
    if (!claim) return;
    this.claim = null;
    await this.store.releaseStoredResponse(claim);
  }
}

/**
 * What a stored answer is the answer to: the canonical path, then a digest of the validated body
 * (object keys sorted, so their order does not matter; array order does). Kept in the record's
 * `path`, so the store contract did not change.
 */
export function requestIdentity(path: string, body: unknown): string {
  return `${path} sha256:${createHash('sha256').update(canonicalJson(body)).digest('base64url')}`;
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Idempotency-Key for every write by a signed-in user. Stored in the database so it holds across
 * processes. (POST /kudos additionally stores the key inside the kudos write itself, so even a
 * crash between the write and recording its answer cannot produce a duplicate.)
 */
export function idempotency(store: Store, now: () => number): RequestHandler {
  return (req, _res, next) => {
    if (!WRITE.has(req.method) || req.principal?.kind !== 'user' || req.get('Idempotency-Key') === undefined) return next();
    let key: string;
    try {
      key = idempotencyKeyOf(req) as string;
    } catch (err) {
      return next(err);
    }
    req.idempotency = new IdempotentCall(store, now, req.principal.user.id, key, req.method);
    next();
  };
}
