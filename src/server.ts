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
import { IDEMPOTENCY_TTL_MS } from './http/idempotency.js';
import { createLiveServer, type LiveServer } from './live/live-server.js';
import { attachRedis } from './live/redis.js';
import type { Logger } from './logger.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';

export interface RunningServer {
  http: Server;
  io: LiveServer;
  store: Store;
  url: string;
  port: number;
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
  const store = opts.store ?? (await createStore(config));
  await store.init();
  const clock = opts.clock ?? systemClock;
  await seedCatalog({ store });
  await ensureFirstAdmin({ store, clock }, config.adminEmail, config.adminPassword, opts.print ?? ((s) => console.log(s)));

  const jwtSecret = resolveJwtSecret(config.jwtSecret, config.dataDir);
  const auth = new Authenticator(store, createTokenIssuer(jwtSecret, config.jwtTtlSeconds));
  const http = createServer();
  // The live layer needs the server and the app needs the live publisher: wire through a holder.
  let publisher: LivePublisher | null = null;
  const livePort: LivePublisher = {
    kudosCreated: (k) => publisher?.kudosCreated(k),
    kudosUpdated: (k) => publisher?.kudosUpdated(k),
    kudosRemoved: (k) => publisher?.kudosRemoved(k),
    disconnectUser: (id) => publisher?.disconnectUser(id),
    disconnectDisplay: (id) => publisher?.disconnectDisplay(id),
  };
  const deps: Deps = { store, clock, live: livePort };
  const live = createLiveServer(http, { auth, store, log });
  publisher = live.publisher;
  const redis = config.redisUrl ? await attachRedis(live.io, config.redisUrl, log) : null;

  const app = createApp({
    deps,
    auth,
    jwtSecret,
    config,
    log,
    liveInfo: live.info,
    webRoot: resolve(root, 'dist/public'),
    publicRoot: resolve(root, 'public'),
  });
  http.on('request', app);
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(config.port, config.host, () => ok());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const prune = setInterval(() => {
    store.pruneStoredResponses(new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString()).catch((err: unknown) => log.warn({ err }, 'prune failed'));
  }, 60 * 60 * 1000);
  prune.unref();

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(prune);
      // Stop accepting, let in-flight requests finish, then close sockets and the store.
      const closed = new Promise<void>((ok) => http.close(() => ok()));
      http.closeIdleConnections();
      await new Promise<void>((ok) => live.io.close(() => ok()));
      const force = setTimeout(() => http.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(force);
      await redis?.close();
      // A store handed in by the caller (tests) stays the caller's to close.
      if (!opts.store) await store.close();
    })());
  log.info({ port, store: store.name, redis: Boolean(redis) }, 'Shine is listening');
  return { http, io: live.io, store, url: `http://127.0.0.1:${port}`, port, stop };
}
