import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema, parseDuration, type Config } from './config.schema.js';

export type { Config } from './config.schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** The project root: the nearest folder above this file with a package.json (works from src/ and dist/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

function readDefaults(): Record<string, unknown> {
  const file = resolve(process.env.SHINE_CONFIG_DIR ?? resolve(projectRoot(), 'config'), 'default.json');
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const blank = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Express's `trust proxy`: `true`/`false`, a number of hops, or a comma-separated list of
 * addresses, subnets and the names loopback, linklocal, uniquelocal. Checked here, so that a bad
 * value is reported with the others instead of crashing Express after start-up.
 */
function trustProxyOf(v: string | null, problems: string[]): boolean | number | string | null {
  if (v === null) return null;
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  const bad = v.split(',').map((s) => s.trim()).filter((item) => {
    if (PROXY_NAMES.has(item)) return false;
    const [address = '', bits, extra] = item.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return true;
    if (bits === undefined) return false;
    return !((/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)) || isIP(bits) === family);
  });
  if (bad.length > 0) {
    problems.push(`SHINE_TRUST_PROXY: ${bad.map((b) => `"${b}"`).join(', ')} is not true, false, a hop count, an address, a subnet or loopback/linklocal/uniquelocal`);
  }
  return v;
}

/**
 * Builds the configuration from config/default.json overlaid with environment variables and
 * validates it once, reporting every problem at the same time.
 */
export function loadConfig(env: Env = process.env): Config {
  const defaults = readDefaults();
  const problems: string[] = [];
  const nodeEnv = blank(env.NODE_ENV) ?? 'development';
  let jwtTtlSeconds = 0;
  const ttl = blank(env.JWT_TTL) ?? String(defaults.jwtTtl ?? '12h');
  try {
    jwtTtlSeconds = parseDuration(ttl);
    if (jwtTtlSeconds <= 0) problems.push(`JWT_TTL: "${ttl}" would make every token expire at once; use a duration like 30m, 12h or 7d`);
  } catch {
    problems.push(`JWT_TTL: "${ttl}" is not a duration like 30m, 12h or 7d`);
  }
  const raw = {
    ...defaults,
    nodeEnv,
    port: blank(env.PORT) ?? defaults.port,
    host: blank(env.HOST) ?? defaults.host,
    dataDir: resolve(blank(env.SHINE_DATA_DIR) ?? String(defaults.dataDir ?? './data')),
    mongodbUri: blank(env.MONGODB_URI),
    redisUrl: blank(env.SHINE_REDIS_URL),
    redisStream: blank(env.SHINE_REDIS_STREAM) ?? defaults.redisStream ?? 'shine',
    jwtSecret: blank(env.JWT_SECRET),
    jwtTtlSeconds: jwtTtlSeconds || 1,
    adminEmail: blank(env.SHINE_ADMIN_EMAIL)?.toLowerCase() ?? null,
    adminPassword: blank(env.SHINE_ADMIN_PASSWORD),
    logLevel: blank(env.LOG_LEVEL) ?? defaults.logLevel,
    logPretty: nodeEnv === 'development' && Boolean(process.stdout.isTTY) && env.LOG_PRETTY !== '0',
    sqliteSynchronous: blank(env.SHINE_SQLITE_SYNCHRONOUS)?.toUpperCase() ?? defaults.sqliteSynchronous,
    sqliteWriter: blank(env.SHINE_SQLITE_WRITER)?.toLowerCase() ?? defaults.sqliteWriter ?? 'auto',
    metricsToken: blank(env.SHINE_METRICS_TOKEN) ?? defaults.metricsToken ?? null,
    metricsPort: blank(env.SHINE_METRICS_PORT) ?? defaults.metricsPort ?? null,
    drainSeconds: blank(env.SHINE_DRAIN_SECONDS) ?? defaults.drainSeconds ?? 0,
    trustProxy: trustProxyOf(blank(env.SHINE_TRUST_PROXY), problems) ?? defaults.trustProxy,
    kudosRateLimit: withOverrides(defaults.kudosRateLimit, blank(env.SHINE_KUDOS_RATE_LIMIT), blank(env.SHINE_KUDOS_RATE_WINDOW)),
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${envName(issue.path.join('.'))}: ${issue.message}`);
  }
  if (nodeEnv === 'production' && !raw.jwtSecret) {
    problems.push('JWT_SECRET: required when NODE_ENV=production (at least 32 random characters)');
  }
  if (raw.adminEmail && !raw.adminPassword && nodeEnv === 'production') {
    problems.push('SHINE_ADMIN_PASSWORD: required with SHINE_ADMIN_EMAIL when NODE_ENV=production');
  }
  // Both listeners bind the same HOST: one port for both would fail only after start-up.
  if (parsed.success && parsed.data.metricsPort !== null && parsed.data.metricsPort !== 0 && parsed.data.metricsPort === parsed.data.port) {
    problems.push(`SHINE_METRICS_PORT: ${parsed.data.metricsPort} is also PORT; the metrics listener needs a port of its own (or leave it unset to serve /metrics on PORT)`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

const ENV_NAMES: Record<string, string> = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'SHINE_DATA_DIR',
  mongodbUri: 'MONGODB_URI',
  redisUrl: 'SHINE_REDIS_URL',
  redisStream: 'SHINE_REDIS_STREAM',
  'kudosRateLimit.perUser': 'SHINE_KUDOS_RATE_LIMIT',
  'kudosRateLimit.windowSeconds': 'SHINE_KUDOS_RATE_WINDOW',
  jwtSecret: 'JWT_SECRET',
  adminEmail: 'SHINE_ADMIN_EMAIL',
  adminPassword: 'SHINE_ADMIN_PASSWORD',
  logLevel: 'LOG_LEVEL',
  nodeEnv: 'NODE_ENV',
  sqliteSynchronous: 'SHINE_SQLITE_SYNCHRONOUS',
  sqliteWriter: 'SHINE_SQLITE_WRITER',
  metricsToken: 'SHINE_METRICS_TOKEN',
  metricsPort: 'SHINE_METRICS_PORT',
  drainSeconds: 'SHINE_DRAIN_SECONDS',
  trustProxy: 'SHINE_TRUST_PROXY',
};

// SHINE_KUDOS_RATE_LIMIT and SHINE_KUDOS_RATE_WINDOW each override one half of the configured limit.
function withOverrides(limit: unknown, perUser: string | null, windowSeconds: string | null): unknown {
  const base = typeof limit === 'object' && limit !== null ? limit : {};
  return {
    ...base,
    ...(perUser === null ? {} : { perUser: Number(perUser) }),
    ...(windowSeconds === null ? {} : { windowSeconds: Number(windowSeconds) }),
  };
}

function envName(path: string): string {
  return ENV_NAMES[path] ?? `config/default.json ${path}`;
}
