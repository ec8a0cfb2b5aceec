import {
  AllowanceExhaustedError, AppError, ConflictError, ForbiddenError, KudosRateLimitedError, NotFoundError,
  PayloadTooLargeError, RateLimitedError, RuleViolationError, StoreUnavailableError, UnauthorizedError, ValidationError,
} from '../../domain/errors.js';

/** An error as it crosses from a worker thread: structured clone keeps data, not classes. */
export type ThreadError =
  | { kind: 'app'; className: string; message: string; fields: Record<string, unknown>; cause: string | null }
  | { kind: 'other'; name: string; message: string; code: string | null };

const APP_ERRORS: Record<string, { prototype: AppError }> = Object.fromEntries(
  [
    AllowanceExhaustedError, ConflictError, ForbiddenError, KudosRateLimitedError, NotFoundError, PayloadTooLargeError,
    RateLimitedError, RuleViolationError, StoreUnavailableError, UnauthorizedError, ValidationError,
  ].map((c) => [c.name, c]),
);

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function toThreadError(err: unknown): ThreadError {
  if (err instanceof AppError && APP_ERRORS[err.constructor.name]) {
    // Own fields (code, details, status, field, max, used, retryAfterSeconds...) are plain data.
    const fields: Record<string, unknown> = { ...err };
    return { kind: 'app', className: err.constructor.name, message: err.message, fields, cause: err.cause === undefined ? null : messageOf(err.cause) };
  }
  const code = (err as { code?: unknown } | null)?.code;
  return { kind: 'other', name: err instanceof Error ? err.name : 'Error', message: messageOf(err), code: typeof code === 'string' ? code : null };
}

/**
 * The error again, as an instance of its own class (so `instanceof` and the HTTP mapping work
 * as if it had been thrown on this thread), built without running its constructor: the
 * constructors take what the message was made from, which did not cross.
 */
export function fromThreadError(e: ThreadError): Error {
  if (e.kind === 'app') {
    const cls = APP_ERRORS[e.className];
    if (cls) {
      const err = Object.assign(Object.create(cls.prototype) as AppError, e.fields);
      Object.defineProperty(err, 'message', { value: e.message, writable: true, configurable: true });
      Object.defineProperty(err, 'stack', { value: `${e.className}: ${e.message}\n    at (sqlite writer thread)`, writable: true, configurable: true });
      if (e.cause !== null) Object.defineProperty(err, 'cause', { value: new Error(e.cause), writable: true, configurable: true });
      return err;
    }
  }
  const err = new Error(e.message);
  err.name = e.kind === 'other' ? e.name : e.className;
  if (e.kind === 'other' && e.code !== null) Object.assign(err, { code: e.code });
  return err;
}
