import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { NotFoundError, UnauthorizedError } from '../domain/errors.js';

/** The process's Prometheus instruments, in a registry of their own (tests run several servers). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  kudosCreated: Counter;
  liveConnections: Gauge<'kind'>;
  storeErrors: Counter;
  /** Entries of the Redis live bus this process wrote, and read from other processes. */
  liveBusEntries: Counter<'direction'>;
  liveBusErrors: Counter<'op'>;
}

/** Who may read /metrics on the main port. */
export type MetricsGuard = { kind: 'token'; token: string } | { kind: 'loopback' };

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

let processRegistry: Registry | null = null;

/**
 * The default Node.js collectors (event-loop lag, heap, GC) describe the process, not one server,
 * and each collection starts monitors that are never stopped: start them once per process.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Builds this server's instruments; its registry also exposes the process-wide defaults. */
export function createMetrics(): Metrics {
  const own = new Registry();
  const httpDuration = new Histogram({
    name: 'shine_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [own],
  });
  const kudosCreated = new Counter({ name: 'shine_kudos_created_total', help: 'Kudos created (idempotent replays excluded)', registers: [own] });
  const liveConnections = new Gauge({
    name: 'shine_live_connections',
    help: 'Open socket.io connections by kind',
    labelNames: ['kind'] as const,
    registers: [own],
  });
  // Both series exist from the start, so dashboards show 0 rather than "no data".
  liveConnections.set({ kind: 'user' }, 0);
  liveConnections.set({ kind: 'display' }, 0);
  const storeErrors = new Counter({ name: 'shine_store_errors_total', help: 'Requests answered 503 because storage was unavailable', registers: [own] });
  const liveBusEntries = new Counter({
    name: 'shine_live_bus_entries_total',
    help: 'Redis live bus stream entries written by this process (sent) or read from other processes (received)',
    labelNames: ['direction'] as const,
    registers: [own],
  });
  const liveBusErrors = new Counter({
    name: 'shine_live_bus_errors_total',
    help: 'Redis live bus writes (send) and reads (read) that failed',
    labelNames: ['op'] as const,
    registers: [own],
  });
  for (const direction of ['sent', 'received']) liveBusEntries.inc({ direction }, 0);
  for (const op of ['send', 'read']) liveBusErrors.inc({ op }, 0);
  const registry = Registry.merge([processMetrics(), own]);
  return { registry, httpDuration, kudosCreated, liveConnections, storeErrors, liveBusEntries, liveBusErrors };
}

const MOUNT = 'metricsMount';

/** Where the route that handles this request is mounted (the API's prefix), for its metrics label. */
export function markMount(res: Response, mount: string): void {
  res.locals[MOUNT] = mount;
}

/**
 * The route pattern, never the raw URL (ids would make label cardinality unbounded). Requests no
 * route handled share a few fixed labels: the API's own (rejected before routing, or unknown),
 * static files, and everything else.
 */
function routeLabel(req: Request, res: Response): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  const mount: unknown = res.locals[MOUNT];
  if (typeof path === 'string') return `${typeof mount === 'string' ? mount : ''}${path}`;
  if (typeof mount === 'string') return `${mount}/*`;
  return res.statusCode < 400 ? 'static' : 'unmatched';
}

/** Times every request; also counts 503s, which only storage outages produce. */
export function httpMetrics(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    // 'finish' only: a request the client abandoned has no status worth recording.
    res.once('finish', () => {
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      end({ method, route: routeLabel(req, res), status: String(res.statusCode) });
      // StoreUnavailableError and a failed /readyz are the only 503s the app sends.
      if (res.statusCode === 503) m.storeErrors.inc();
    });
    next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function allowed(req: Request, guard: MetricsGuard): 'ok' | 'unauthorized' | 'hidden' {
  if (guard.kind === 'token') {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    return sameSecret(token, guard.token) ? 'ok' : 'unauthorized';
  }
  // The socket address, not req.ip: X-Forwarded-For must not be able to claim loopback. A local
  // reverse proxy connects from loopback too, so a forwarded request is treated as remote.
  const local = LOOPBACK.has(req.socket.remoteAddress ?? '');
  const forwarded = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return local && !forwarded ? 'ok' : 'hidden';
}

/** GET /metrics on the main port, guarded by a bearer token or restricted to loopback callers. */
export function metricsEndpoint(m: Metrics, guard: MetricsGuard): RequestHandler {
  return (req, res, next) => {
    const verdict = allowed(req, guard);
    if (verdict === 'hidden') return next(new NotFoundError('route', 'route_not_found'));
    if (verdict === 'unauthorized') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return next(new UnauthorizedError('Send the metrics token as "Authorization: Bearer <token>".', 'invalid_token'));
    }
    m.registry.metrics().then((text) => {
      res.setHeader('Content-Type', m.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(text);
    }, next);
  };
}

/**
 * A separate listener that serves only /metrics (SHINE_METRICS_PORT), so the scrape endpoint can
 * stay on an internal interface or port while the app faces the internet.
 */
export async function startMetricsListener(m: Metrics, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    m.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': m.registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Metrics unavailable\n'),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
