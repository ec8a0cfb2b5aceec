import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { startServer, type RunningServer } from './server.js';
import { describeStartupFailure } from './startup-error.js';

if (existsSync('.env')) process.loadEnvFile('.env');

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = createLogger({ level: config.logLevel, pretty: config.logPretty });

// Log lines are gathered into larger writes (src/logger.ts): write out the last of them first.
const exit = (code: number): never => {
  log.flush();
  process.exit(code);
};

// Installed before start-up: as a container's PID 1, node ignores any signal it has no handler
// for, so a stop while start-up waits (for Redis, for MongoDB) would only end with SIGKILL.
let server: RunningServer | null = null;
let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) exit(1);
    signalled = true;
    const running = server;
    if (!running) {
      // Nothing is served yet; whatever start-up was writing is one transaction, safe to cut.
      log.info({ signal }, 'stopped before start-up finished');
      return exit(0);
    }
    log.info({ signal }, 'shutting down');
    // After SHINE_DRAIN_SECONDS of serving on, in-flight requests get 10 s (src/server.ts);
    // closing Redis and the store must not stretch that past the grace period in docs/deploy.md.
    const boundMs = config.drainSeconds * 1000 + 13_000;
    setTimeout(() => {
      log.error(`shutdown did not finish within ${boundMs / 1000} s; exiting`);
      exit(1);
    }, boundMs).unref();
    running.stop().then(
      () => exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  });
}
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

const started = await startServer({ config, log }).catch((err: unknown) => {
  console.error(describeStartupFailure(err, config));
  return exit(1);
});
server = started;
console.log(`Shine is running at http://localhost:${started.port} (store: ${started.store.name})`);
