import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  AppError, NotFoundError, PayloadTooLargeError, RateLimitedError, StoreUnavailableError, ValidationError,
} from '../domain/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[]; requestId?: string };
}

/** Turns body-parser's and other library errors into ours, so the mapping below stays exhaustive. */
function normalise(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e.type === 'entity.parse.failed') return new ValidationError('The body is not valid JSON.', [], 'malformed_json');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new ValidationError('Unsupported body encoding.', [], 'unsupported_encoding');
  }
  if (e.type === 'request.aborted') return new ValidationError('The request was aborted.', [], 'request_aborted');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ValidationError(e.message ?? 'Bad request.', [], 'bad_request');
  }
  return null;
}

/** 404 for every unknown route, in the contract's error shape. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError('route', 'route_not_found'));
};

/** The one place where errors become HTTP responses. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = normalise(err);
  const requestId = String(req.id ?? '');
  if (known instanceof RateLimitedError) res.setHeader('Retry-After', String(known.retryAfterSeconds));
  if (known) {
    if (known instanceof StoreUnavailableError) req.log?.error({ err, reqId: req.id }, 'store unavailable');
    const body: ErrorBody = {
      error: { code: known.code, message: known.message, details: known.details, requestId },
    };
    res.status(known.status).json(body);
    return;
  }
  req.log?.error({ err, reqId: req.id }, 'unexpected error');
  const body: ErrorBody = {
    error: {
      code: 'internal_error',
      message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      details: [],
      requestId,
    },
  };
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(500).json(body);
};
