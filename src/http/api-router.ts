import type { RequestHandler } from 'express';
import FindMyWay from 'find-my-way';
import { ValidationError } from '../domain/errors.js';
import { chain } from './chain.js';
import { notFoundHandler } from './error-handler.js';
import { markMount } from './metrics.js';

export const API_PREFIX = '/api/v1';
/** '/api/v1' followed by '/', '?' or nothing, in any case (Express matched mount paths case-insensitively). */
const UNDER_API = /^\/api\/v1(?:[/?]|$)/i;
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Entry {
  /** The route pattern, for metrics labels (never the raw URL). */
  path: string;
  run: RequestHandler;
}

/**
 * Dispatches every /api/v1 request with one radix-tree lookup (find-my-way, Fastify's router).
 * Express's router tries its layers one by one, each a regular-expression match with its own
 * bookkeeping and closures, and a mounted router and every route are further dispatches: for
 * the feed and posting that was a quarter of the memory a request allocated. Pages, static
 * files and /metrics stay on Express's router; this handles only the API, with Express's
 * request and response objects and error handling, and the same matching rules (trailing
 * slash optional, static parts case-insensitive, parameters decoded).
 */
export class ApiRouter {
  private readonly tree = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 4096 });
  private readonly common: RequestHandler;
  private readonly notFound: RequestHandler;

  /** `common` runs before every route that is not open, and before the 404 of an unknown one. */
  constructor(common: RequestHandler[]) {
    this.common = chain(...common);
    this.notFound = chain(this.common, this.unknown);
  }

  /** A route behind the common middleware (body parsing, authentication, Idempotency-Key). */
  add(method: ApiMethod, path: string, handlers: RequestHandler[]): void {
    this.on(method, path, chain(this.common, ...handlers, notFoundHandler));
  }

  /** A route answered before any of it: health checks, the OpenAPI document. */
  open(method: ApiMethod, path: string, handler: RequestHandler): void {
    this.on(method, path, chain(handler, notFoundHandler));
  }

  private on(method: ApiMethod, path: string, run: RequestHandler): void {
    const entry: Entry = { path, run };
    this.tree.on(method.toUpperCase() as 'GET', path, noop, entry);
  }

  /** The middleware that serves the API; everything else goes on to the next layer. */
  readonly dispatch: RequestHandler = (req, res, next) => {
    const url = req.url;
    if (!UNDER_API.test(url)) return next();
    markMount(res, API_PREFIX);
    const q = url.indexOf('?');
    const path = (q < 0 ? url.slice(API_PREFIX.length) : url.slice(API_PREFIX.length, q)) || '/';
    const found = this.find(req.method, path);
    if (!found) {
      this.notFound(req, res, next);
      return;
    }
    req.params = found.params;
    // Read by the metrics' route label, as it reads the route Express matched.
    req.route = { path: found.entry.path };
    found.entry.run(req, res, next);
  };

  private find(method: string, path: string): { entry: Entry; params: Record<string, string> } | null {
    const hit = this.tree.find(method === 'HEAD' ? 'GET' : (method as 'GET'), path);
    if (!hit) return null;
    return { entry: hit.store as Entry, params: hit.params as Record<string, string> };
  }

  /** An unknown route is a 404; a path that cannot be decoded is the client's mistake, a 400. */
  private readonly unknown: RequestHandler = (req, res, next) => {
    if (req.url.includes('%') && !decodes(req.url.split('?')[0] ?? '')) {
      next(new ValidationError('The path is not valid percent-encoding.', [{ path: 'path', message: 'malformed' }], 'bad_request'));
      return;
    }
    notFoundHandler(req, res, next);
  };
}

function noop(): void {}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
