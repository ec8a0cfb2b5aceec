import { z } from 'zod';

const durationRe = /^(\d+)(s|m|h|d)$/;

/** "12h" -> seconds. */
export function parseDuration(value: string): number {
  const m = durationRe.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  const n = Number(m[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return n * unit;
}

const rateWindow = z.object({ windowSeconds: z.number().int().positive() });

export const configSchema = z.object({
  nodeEnv: z.enum(['development', 'production', 'test']),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  mongodbUri: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .nullable(),
  redisUrl: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').nullable(),
  /** Name of the Redis stream (and prefix of the channels and session keys) shared by one deployment's processes. */
  redisStream: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits or _ : . -'),
  jwtSecret: z.string().min(32, 'must be at least 32 characters').nullable(),
  jwtTtlSeconds: z.number().int().positive(),
  adminEmail: z.string().email().nullable(),
  adminPassword: z.string().min(12, 'must be at least 12 characters').nullable(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logPretty: z.boolean(),
  bodyLimitBytes: z.number().int().positive(),
  sqliteSynchronous: z.enum(['FULL', 'NORMAL']),
  /** Where new kudos are committed (SqliteWriterMode); `auto` picks by process count (sqliteWriterFor). */
  sqliteWriter: z.enum(['auto', 'event-loop', 'thread']),
  metricsToken: z.string().min(16, 'must be at least 16 characters').nullable(),
  metricsPort: z.coerce.number().int().min(0).max(65535).nullable(),
  /** On SIGTERM, seconds to go on serving with /readyz answering 503 before closing (see docs/deploy.md). */
  drainSeconds: z.coerce.number().int('must be a whole number of seconds').min(0).max(60),
  trustProxy: z.union([z.boolean(), z.string(), z.number()]),
  loginRateLimit: rateWindow.extend({ perIp: z.number().int().positive(), perEmail: z.number().int().positive() }),
  kudosRateLimit: rateWindow.extend({ perUser: z.number().int().positive() }),
});

export type Config = z.infer<typeof configSchema>;
