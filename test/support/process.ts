import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIN_JS = resolve(PROJECT_ROOT, 'dist/src/main.js');
/** Shared by every process of one test deployment, so a token from A is valid on B. */
export const TEST_JWT_SECRET = 'multiprocess-test-secret-0123456789abcdef';

const OUTPUT_LIMIT = 64 * 1024;
const READY_TIMEOUT_MS = 20_000;

export interface ShineProcessOptions {
  dataDir: string;
  /** 0 picks a free port (read back from the startup line). */
  port?: number;
  env?: Record<string, string>;
  /** Name used in failure messages ("A", "B", "crash-3"). */
  name?: string;
  /**
   * Send the output to this file instead of a pipe: benchmarks log every request at info level,
   * and reading that through a pipe would cost the measuring process CPU.
   */
  logFile?: string;
  /** Extra node flags before the script, e.g. --cpu-prof for profiling a benchmark run. */
  nodeArgs?: string[];
  /** The node binary (default: the one running the tests), e.g. production's Node 24. */
  node?: string;
}

/**
 * The environment a test's Shine process runs with (nothing inherited but PATH, so a developer's
 * settings cannot leak in): a free port on loopback, the test JWT secret and admin, fast KDF.
 */
export function shineEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    SHINE_FAST_KDF: '1',
    HOST: '127.0.0.1',
    PORT: '0',
    SHINE_DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    SHINE_ADMIN_EMAIL: ADMIN_EMAIL,
    SHINE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * One real `node dist/src/main.js` child: what operators run. Keeps the tail of its output so a
 * failing test can show what the server said.
 */
export class ShineProcess {
  readonly child: ChildProcess;
  readonly name: string;
  private output = '';
  private readonly logFile: string | null;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port = 0;

  constructor(opts: ShineProcessOptions) {
    assertBuilt();
    this.name = opts.name ?? 'shine';
    const env = shineEnv(opts.dataDir, { PORT: String(opts.port ?? 0), ...opts.env });
    // cwd is the data dir: main.ts reads ./.env, and a developer's .env must not leak into tests.
    this.logFile = opts.logFile ?? null;
    const fd = this.logFile ? openSync(this.logFile, 'a') : null;
    const stdio = fd === null ? (['ignore', 'pipe', 'pipe'] as const) : (['ignore', fd, fd] as const);
    this.child = spawn(opts.node ?? process.execPath, [...(opts.nodeArgs ?? []), MAIN_JS], { cwd: opts.dataDir, env, stdio: [...stdio] });
    if (fd !== null) closeSync(fd);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((ok) => this.child.once('exit', (code, signal) => ok({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process printed, for assertion messages. */
  tail(lines = 40): string {
    return this.text().split('\n').slice(-lines).join('\n');
  }

  private text(): string {
    if (!this.logFile) return this.output;
    if (!existsSync(this.logFile)) return '';
    const size = statSync(this.logFile).size;
    const fd = openSync(this.logFile, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, OUTPUT_LIMIT));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** Resolves once /readyz answers 200; rejects with the process output if it exits or hangs. */
  async ready(timeoutMs = READY_TIMEOUT_MS): Promise<this> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      if (this.port === 0) this.port = Number(/running at http:\/\/[^:]+:(\d+)/.exec(this.text())?.[1] ?? 0);
      if (this.port !== 0 && (await probe(`${this.url}/readyz`))) return this;
      await sleep(50);
    }
    this.child.kill('SIGKILL');
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** kill -9: no shutdown code runs, exactly like a power cut of this process. */
  async kill9(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop (what an orchestrator sends); returns the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (!this.alive) return (await this.exited).code;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const { code } = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** Starts a Shine child and waits until it is ready. */
export async function startShineProcess(opts: ShineProcessOptions): Promise<ShineProcess> {
  const p = new ShineProcess(opts);
  try {
    return await p.ready();
  } catch (err) {
    await p.kill9();
    throw err;
  }
}

async function probe(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

let checked = false;

// These tests run the compiled server; a missing or stale build gives confusing failures.
function assertBuilt(): void {
  if (checked) return;
  checked = true;
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run \`npm run build\` before the multi-process tests.`);
  const built = statSync(MAIN_JS).mtimeMs;
  const source = statSync(resolve(PROJECT_ROOT, 'src/main.ts')).mtimeMs;
  if (source > built) console.warn(`warning: src/main.ts is newer than ${MAIN_JS}; run \`npm run build\` if results look stale.`);
}

/**
 * PINGs Redis with a short timeout. Returns null when it answered, else the reason, so callers
 * can skip loudly instead of hanging or passing silently.
 */
export async function pingRedis(url: string, timeoutMs = 1_500): Promise<string | null> {
  const { createClient } = await import('redis');
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await Promise.race([client.connect(), sleep(timeoutMs + 500).then(() => Promise.reject(new Error(`no answer within ${timeoutMs} ms`)))]);
    const pong = await client.ping();
    return pong === 'PONG' ? null : `unexpected PING answer ${pong}`;
  } catch (err) {
    return `${url} unreachable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    client.destroy();
  }
}

/** Deletes one deployment's Redis streams: the socket.io adapter's and the live bus's (src/live/redis.ts). */
export async function dropRedisStreams(url: string, stream: string): Promise<void> {
  const { createClient } = await import('redis');
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  await client.del([stream, `${stream}#live`]);
  await client.quit();
}
