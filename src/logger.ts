import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * One JSON line per event. Secrets and message bodies never reach the log: request bodies are not
 * logged at all, and auth headers / tokens are redacted wherever they appear.
 */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.query.token',
        '*.password',
        '*.token',
        '*.passwordHash',
      ],
      censor: '[redacted]',
    },
    ...(opts.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}
