import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { Authenticator } from './auth/authenticator.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import { createTokenIssuer } from './auth/tokens.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { projectRoot, type Config } from './config/config.js';
import { seedCatalog } from './domain/behaviours.js';
import { systemClock, type Clock, type Deps, type LivePublisher } from './domain/deps.js';
import { createApp } from './http/app.js';
import { answerClientError } from './http/client-error.js';
import { expressBornObjects } from './http/express-objects.js';
import { IDEMPOTENCY_TTL_MS } from './http/idempotency.js';
import { createMetrics, startMetricsListener } from './http/metrics.js';
import { createLiveServer, type LiveServer } from './live/live-server.js';
import { attachRedis } from './live/redis.js';
import type { Logger } from './logger.js';
import { createStore, sqliteWriterFor } from './store/create-store.js';
import type { Store } from './store/store.js';

export interface RunningServer {
  http: Server;
  io: LiveServer;
  store: Store;
  url: string;
  port: number;
  /** Base URL of the separate metrics listener when SHINE_METRICS_PORT is set, else null. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Tests pass a ready store; otherwise one is built from the config. */
  store?: Store;
  print?: (s: string) => void;
  projectRoot?: string;
}

/** Builds and starts everything: store, first admin, HTTP app, socket.io, Redis if configured. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config, log } = opts;
  const root = opts.projectRoot ?? projectRoot();
  const store = opts.store ?? createStore(config);
  await store.init();
  const clock = opts.clock ?? systemClock;
  await seedCatalog({ store });
  await ensureFirstAdmin({ store, clock }, config.adminEmail, config.adminPassword, opts.print ?? ((s) => console.log(s)));

  const jwtSecret = resolveJwtSecret(config.jwtSecret, config.dataDir);
  const auth = new Authenticator(store, createTokenIssuer(jwtSecret, config.jwtTtlSeconds));
  // The request listener must exist before socket.io attaches: socket.io wraps the listeners it
  // finds and keeps /socket.io/ requests for itself. Added later, Express would answer them too.
  let app: ReturnType<typeof createApp> | null = null;
  const objects = expressBornObjects();
  const http = createServer(objects.options, (req, res) => {
    if (app) return app(req, res);
    res.writeHead(503).end();
  });
  const metrics = createMetrics();
  // The live layer needs the server and the app needs the live publisher: wire through a holder.
  let publisher: LivePublisher | null = null;
  const livePort: LivePublisher = {
    // Use cases call this once per committed kudos (never for an idempotent replay): count here.
    kudosCreated: (k) => {
      metrics.kudosCreated.inc();
      publisher?.kudosCreated(k);
    },
    kudosUpdated: (k) => publisher?.kudosUpdated(k),
    kudosRemoved: (k) => publisher?.kudosRemoved(k),
    disconnectUser: (id, reason) => publisher?.disconnectUser(id, reason),
    disconnectDisplay: (id, reason) => publisher?.disconnectDisplay(id, reason),
  };
  const deps: Deps = { store, clock, live: livePort };
  const live = createLiveServer(http, {
    auth,
    store,
    log,
    onConnectionChange: (kind, delta) => metrics.liveConnections.inc({ kind }, delta),
  });
  publisher = live.publisher;
  const busMonitor = {
    entry: (direction: 'sent' | 'received') => metrics.liveBusEntries.inc({ direction }),
    failed: (op: 'send' | 'read') => metrics.liveBusErrors.inc({ op }),
  };
  const redis = config.redisUrl ? await attachRedis(live.io, { url: config.redisUrl, stream: config.redisStream }, log, busMonitor) : null;
  if (redis) live.useBus(redis.bus);

  // Declared before the app that reads it: requests arrive as soon as the server listens.
  let stopping: Promise<void> | null = null;
  app = createApp({
    deps,
    auth,
    jwtSecret,
    config,
    log,
    liveInfo: live.info,
    metrics,
    webRoot: resolve(root, 'dist/public'),
    publicRoot: resolve(root, 'public'),
    stopping: () => stopping !== null,
  });
  objects.adopt(app);
  http.on('clientError', answerClientError);
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(config.port, config.host, () => ok());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const metricsListener = config.metricsPort === null ? null : await startMetricsListener(metrics, config.metricsPort, config.host);
  // Stored answers and rate-limit counters are keyed by whoever sent a request (user and
  // Idempotency-Key, address, email) and would otherwise keep a row for every one, for good.
  const prune = setInterval(() => {
    store.pruneStoredResponses(new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()).catch((err: unknown) => log.warn({ err }, 'prune failed'));
    store.pruneCounters(Date.now()).catch((err: unknown) => log.warn({ err }, 'pruning rate-limit counters failed'));
  }, 60 * 60 * 1000);
  prune.unref();

  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(prune);
      // A balancer that learns of a stopping process only from its health checks goes on sending
      // to it for a while: keep serving, with /readyz at 503, until it has stopped.
      if (config.drainSeconds > 0) {
        log.info({ seconds: config.drainSeconds }, 'draining: /readyz answers 503');
        await new Promise((ok) => setTimeout(ok, config.drainSeconds * 1000));
      }
      // Stop accepting, let in-flight requests finish, then close sockets and the store.
      const closed = new Promise<void>((ok) => http.close(() => ok()));
      http.closeIdleConnections();
      // A keep-alive connection whose request finishes now goes idle, and would hold close() open
      // until it timed out: close such connections as they go idle.
      const idle = setInterval(() => http.closeIdleConnections(), 100);
      const metricsClosed = new Promise<void>((ok) => (metricsListener ? metricsListener.server.close(() => ok()) : ok()));
      metricsListener?.server.closeAllConnections();
      // Armed before io.close(), which itself waits for the HTTP server to close: a request that
      // never finishes (a client that stops sending its body) must not hold the exit open.
      const force = setTimeout(() => http.closeAllConnections(), 10_000);
      await new Promise<void>((ok) => live.io.close(() => ok()));
      await closed;
      clearInterval(idle);
      await metricsClosed;
      clearTimeout(force);
      await redis?.close();
      // A store handed in by the caller (tests) stays the caller's to close.
      if (!opts.store) await store.close();
    })());
  log.info({ port, metricsPort: metricsListener?.port ?? null, store: store.name, ...(!opts.store && store.name === 'sqlite' ? { sqliteWriter: sqliteWriterFor(config) } : {}), redis: Boolean(redis) }, 'Shine is listening');
  const metricsUrl = metricsListener ? `http://${urlHost(config.host)}:${metricsListener.port}` : null;
  return { http, io: live.io, store, url: `http://127.0.0.1:${port}`, port, metricsUrl, stop };
}

/** A host to reach a listener bound to `host` from this machine (wildcards mean loopback works). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
