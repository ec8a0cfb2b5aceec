import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { ForbiddenError, UnauthorizedError, ValidationError, type ErrorDetail } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import { API_PREFIX, type ApiMethod, type ApiRouter } from './api-router.js';
import { isPlainJson } from './json-body.js';
import type { Access, Principal } from './principal.js';
import { RawJson } from './raw-json.js';

/** Everything known about an endpoint: validation, access and documentation come from here. */
export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  method: ApiMethod;
  /** Express-style path below /api/v1, e.g. /kudos/:id */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Response schema, for the OpenAPI document. */
  response?: z.ZodType;
  status?: number;
  /** Non-JSON request body (CSV import). */
  rawBody?: 'text/csv';
  /** Non-JSON response. */
  produces?: 'text/csv';
  /** The answer holds a credential (a token): never stored for an Idempotency-Key replay. */
  credentials?: boolean;
  /**
   * The use case keeps the Idempotency-Key inside its own write (POST /kudos): exactly once even
   * across a crash between writing and answering, so the generic claim is not used.
   */
  keyInWrite?: boolean;
}

export interface Ctx<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal;
  req: Request;
  res: Response;
}

/** The registry that the OpenAPI document is generated from. */
export const routeRegistry: RouteSpec[] = [];

/**
 * One detail per problem, each at the path of the field it is about. Zod reports unknown fields
 * as one issue on the object holding them (path "" for the body): split it, so that the details
 * name each unknown field as they name a wrong one.
 */
export function issuesToDetails(error: z.ZodError): ErrorDetail[] {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.');
  // Zod 4 runs length checks on anything with a `length`, even after the type check failed
  // (`recipientIds: "a string of 30 characters"` also got "at most 20 recipients"): a field of the
  // wrong type answers its type error alone.
  const mistyped = new Set(error.issues.filter((i) => i.code === 'invalid_type').map((i) => at(i.path)));
  const issues = error.issues.filter((i) => i.code === 'invalid_type' || !mistyped.has(at(i.path)));
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((key) => ({ path: at([...i.path, key]), message: 'not a field of this request' }))
      : [{ path: at(i.path), message: i.message }],
  );
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`The request ${where} is invalid.`, issuesToDetails(result.error), 'invalid_request');
  }
  return result.data;
}

function authorize(access: Access, principal: Principal | undefined): void {
  if (access === 'public') return;
  if (!principal) throw new UnauthorizedError();
  if (principal.kind === 'display') {
    if (access === 'display-or-user') return;
    throw new ForbiddenError('Display tokens can only read the live feed.', 'display_forbidden');
  }
  if (access === 'user' || access === 'display-or-user') return;
  if (!access.includes(principal.user.role)) throw new ForbiddenError();
}

/** The signed-in user; throws for displays (routes that allow displays must check kind first). */
export function userOf(principal: Principal): User {
  if (principal.kind !== 'user') throw new ForbiddenError('Display tokens can only read the live feed.', 'display_forbidden');
  return principal.user;
}

/**
 * Registers a thin route: access check → schema validation → handler → JSON. A handler that
 * writes the response itself (CSV) returns undefined; one that serialised already returns RawJson.
 */
export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  router: ApiRouter,
  spec: RouteSpec<B, Q, P>,
  handler: (ctx: Ctx<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
  /** Middleware of this route alone, run after authentication and before validation (rate limits). */
  before: RequestHandler[] = [],
): void {
  routeRegistry.push(spec as unknown as RouteSpec);
  const bodyReader = spec.rawBody === 'text/csv' ? [signedIn, express.text({ limit: CSV_LIMIT_BYTES, type: 'text/csv' })] : [];
  router.add(spec.method, spec.path, [...bodyReader, ...before, async (req: Request, res: Response) => {
    authorize(spec.access, req.principal);
    // No body at all (fetch sends `content-length: 0` and no type for a POST without one): no type to check.
    const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined && req.headers['content-type'] === undefined;
    if (spec.body && !spec.rawBody && !empty && !isPlainJson(req.headers['content-type']) && req.is('application/json') === false) {
      throw new ValidationError('Send the body as application/json.', [], 'unsupported_media_type');
    }
    // Before the body schema: a JSON or plain-text body is not a malformed CSV, it is the wrong type.
    if (spec.rawBody && !req.is(spec.rawBody)) {
      throw new ValidationError(`Send the body with Content-Type: ${spec.rawBody}.`, [], 'unsupported_media_type');
    }
    const params = parse(spec.params, req.params, 'path');
    const query = parse(spec.query, req.query, 'query');
    const body = parse(spec.body, spec.rawBody ? req.body : (req.body ?? {}), 'body');
    // After the access check: a replay must not hand out what the caller may no longer have.
    // A public route (sign-in) is nobody's write: whoever the Authorization header names, its
    // answer holds a fresh token, which must never be kept for a replay.
    const once = spec.keyInWrite || spec.access === 'public' ? undefined : req.idempotency;
    if (once && (await once.begin(res, canonicalPath(spec.path, req.params as Record<string, string>), body, spec.credentials === true))) return;
    let result: unknown;
    try {
      result = await handler({ body, query, params, principal: req.principal as Principal, req, res });
    } catch (err) {
      // The handler's error is the answer; a key that could not be given back frees itself when stale.
      await once?.failed().catch((e: unknown) => req.log.warn({ err: e, reqId: req.id }, 'could not release an Idempotency-Key'));
      throw err;
    }
    if (res.headersSent) return;
    const status = spec.status ?? (result === undefined ? 204 : 200);
    const json = result === undefined ? '' : result instanceof RawJson ? null : JSON.stringify(result);
    // The write is done: answer it even if its record cannot be kept (a retry then waits, 409, until the claim is stale).
    await once
      ?.succeeded(status, spec.credentials ? '' : (json ?? (result as RawJson).bytes.toString('utf8')))
      .catch((e: unknown) => req.log.warn({ err: e, reqId: req.id }, 'could not store the answer for an Idempotency-Key'));
    if (json === '') res.status(status).end();
    else sendJson(res, status, json ?? (result as RawJson).bytes);
  }]);
}

const CSV_LIMIT_BYTES = 10 * 1024 * 1024;

/** Nobody without a valid token makes the server read a 10 MB CSV. */
const signedIn: RequestHandler = (req, _res, next) => next(req.principal ? undefined : new UnauthorizedError());

/**
 * What res.type('application/json').send(body) sends, without its general-purpose work on the
 * hottest path (type lookup, a Buffer copy of the text, the freshness check ETag-less API
 * answers never pass). HEAD still gets no body: Node drops it.
 */
function sendJson(res: Response, status: number, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.end(body);
}

/**
 * The path a route was declared with, its parameters filled in from the decoded request: the
 * router matches static parts in any letter case and with or without a trailing slash, and
 * percent-encoding may differ, but the same route and parameters are the same request.
 */
function canonicalPath(routePath: string, params: Record<string, string>): string {
  return API_PREFIX + routePath.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
