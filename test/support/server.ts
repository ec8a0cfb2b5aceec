import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Clock } from '../../src/domain/deps.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Store } from '../../src/store/store.js';

export const ADMIN_EMAIL = 'admin@shine.test';
export const ADMIN_PASSWORD = 'admin-password-123';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and removes its data dir (unless keepData). */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

process.env.NODE_ENV = 'test';
process.env.SHINE_FAST_KDF = '1';

/** A settable clock for tests that need time to pass (delete windows, period ends). */
export class TestClock implements Clock {
  constructor(public ms = Date.now()) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * A real Shine on a random loopback port. Pass `store` to run on a given adapter (the contract
 * helpers in stores.ts make them); otherwise sqlite in a fresh temp dir.
 */
export async function startTestServer(o: { store?: Store; dataDir?: string; clock?: Clock; env?: Record<string, string>; log?: Logger } = {}): Promise<TestServer> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'shine-test-'));
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', SHINE_DATA_DIR: dataDir, SHINE_ADMIN_EMAIL: ADMIN_EMAIL, SHINE_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent', SHINE_SQLITE_SYNCHRONOUS: 'NORMAL', ...o.env }),
  };
  const server = await startServer({ config, log: o.log ?? pino({ level: 'silent' }), store: o.store, clock: o.clock, print: () => {} });
  return {
    ...server,
    dataDir,
    async close(opts = {}) {
      await server.stop();
      if (!opts.keepData && !o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
