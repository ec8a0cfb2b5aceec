import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
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
let server;
try {
  server = await startServer({ config, log });
} catch (err) {
  console.error(describeStartupFailure(err, config));
  log.flush();
  process.exit(1);
}
console.log(`Shine is running at http://localhost:${server.port} (store: ${server.store.name})`);

// Log lines are gathered into larger writes (src/logger.ts): write out the last of them first.
const exit = (code: number): never => {
  log.flush();
  process.exit(code);
};

let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) exit(1);
    signalled = true;
    log.info({ signal }, 'shutting down');
    // In-flight requests get 10 s (src/server.ts); closing Redis and the store must not stretch
    // that past the 15 s grace period documented in docs/deploy.md.
    setTimeout(() => {
      log.error('shutdown did not finish within 13 s; exiting');
      exit(1);
    }, 13_000).unref();
    server.stop().then(
      () => exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  });
}
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
