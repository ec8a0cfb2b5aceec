import type { Iso } from './types.js';

/**
 * The one error hierarchy. Each class has a stable code and maps to one HTTP status in
 * src/http/error-handler.ts. Messages are for humans; clients switch on `code`.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed (shape, types, unknown fields). */
export class ValidationError extends AppError {
  readonly status = 400;
  constructor(message = 'The request is malformed.', details: ErrorDetail[] = [], code = 'invalid_request') {
    super(code, message, details);
  }
}

/** 401: no, invalid or expired credentials. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  constructor(message = 'Authentication required.', code = 'unauthorized') {
    super(code, message);
  }
}

/** 403: authenticated but not allowed. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  constructor(message = 'You are not allowed to do this.', code = 'forbidden') {
    super(code, message);
  }
}

/** 404: absent, or not visible to the caller (never reveal which). */
export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(what = 'resource', code = 'not_found') {
    super(code, `No such ${what}.`);
  }
}

/** 409: conflicts with existing state (duplicate unique value, already closed...). */
export class ConflictError extends AppError {
  readonly status = 409;
  constructor(
    readonly field: string,
    message: string,
    code = 'conflict',
    options?: { cause?: unknown },
  ) {
    super(code, message, [{ path: field, message }], options);
  }
}

/** 409 `period_overlap`: a kudos belongs to at most one period, so periods may not intersect. */
export class PeriodOverlapError extends ConflictError {
  constructor(readonly clash: { name: string }) {
    super('startsAt', `This period overlaps "${clash.name}".`, 'period_overlap');
  }
}

/** 413: body over the limit. */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  constructor(message = 'The request body is too large.') {
    super('payload_too_large', message);
  }
}

/** 422: well-formed, but breaks a domain rule; `code` names the rule. */
export class RuleViolationError extends AppError {
  readonly status = 422;
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(code, message, details);
  }
}

/** 422 allowance_exhausted, thrown by stores when the atomic allowance check fails. */
export class AllowanceExhaustedError extends RuleViolationError {
  constructor(readonly max: number, readonly used: number) {
    super('allowance_exhausted', `You have used all ${max} kudos of your allowance for this period.`, [
      { path: 'allowance', message: `remaining: ${Math.max(0, max - used)}` },
    ]);
  }
}

/** 422 idempotency_key_reused: the key already stands for another request (route, object or body). */
export class IdempotencyKeyReusedError extends RuleViolationError {
  constructor() {
    super('idempotency_key_reused', 'This Idempotency-Key was already used for a different request.', [
      { path: 'Idempotency-Key', message: 'already used for a different request; send a new key' },
    ]);
  }
}

/** 429 with Retry-After. */
export class RateLimitedError extends AppError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number, message = 'Too many requests; try again later.') {
    super('rate_limited', message);
  }
}

/** 429 for a giver who posted `max` kudos within the rate window; free again once the oldest leaves it. */
export class KudosRateLimitedError extends RateLimitedError {
  constructor(readonly max: number, window: { from: Iso; to: Iso }, oldestInWindow: Iso) {
    const seconds = Math.round((Date.parse(window.to) - Date.parse(window.from)) / 1000);
    const waitMs = Date.parse(oldestInWindow) - Date.parse(window.from);
    super(Math.max(1, Math.ceil(waitMs / 1000)), `You can give at most ${max} kudos in ${seconds} seconds; try again shortly.`);
  }
}

/** 503: the database cannot be reached. */
export class StoreUnavailableError extends AppError {
  readonly status = 503;
  constructor(message = 'Storage is unavailable; try again shortly.', options?: { cause?: unknown }) {
    super('store_unavailable', message, [], options);
  }
}
