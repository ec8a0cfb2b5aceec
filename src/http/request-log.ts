import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Probes and scrapes would drown the log; they are counted in /metrics instead. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/healthz', '/api/v1/readyz']);
/** Longer paths (a trailing slash allowed) are no probe: most requests are told apart without lower-casing them. */
const LONGEST_PROBE = Math.max(...[...QUIET].map((p) => p.length)) + 1;

/** Probe paths as the routers match them: any letter case, with or without a trailing slash. */
function isProbe(url: string): boolean {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > LONGEST_PROBE) return false;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return QUIET.has(path.toLowerCase());
}
/** A query that could name a token: literally, or percent-encoded (`%74oken` is `token` too). */
const MAY_NAME_TOKEN = /token|%/i;
/** Names whose values are credentials, once decoded: `token` (the TV wall's), `access_token`, … */
const TOKEN_NAME = /token$/i;

/**
 * The URL with the value of every query parameter whose name, decoded as the pages' URLSearchParams
 * decodes it, ends in "token", replaced by `[redacted]`. Parameters keep their place and spelling.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !MAY_NAME_TOKEN.test(url.slice(q + 1))) return url;
  const parts = url.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    const [name = ''] = new URLSearchParams(part).keys();
    return TOKEN_NAME.test(name) ? `${part.slice(0, eq)}=[redacted]` : part;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** X-Request-Id: the caller's when well-formed, else a fresh UUID; quoted in error bodies. */
      id: string;
      /** The app logger; log with `reqId: req.id` so a line can be tied to its request. */
      log: Logger;
    }
  }
}

/**
 * One JSON line per finished (or abandoned) request: id, method, URL with tokens redacted,
 * status and duration. Never headers, never bodies. Written by hand rather than with pino-http,
 * which builds a child logger and serialises the whole request for every request; on the POST
 * path that was about a tenth of the server's CPU.
 */
export function requestLog(log: Logger): RequestHandler {
  // These lines hold only the fields below, with tokens already cut from the URL, so they skip
  // the logger's path redaction, which cost more than writing the line.
  const lines = log.child({}, { redact: { paths: [] } });
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    req.id = id;
    req.log = log;
    res.setHeader('X-Request-Id', id);
    if (isProbe(req.url)) return next();
    // At warn, finished requests are not logged, but abandoned ones still are.
    const completed = log.isLevelEnabled('info');
    if (!completed && !log.isLevelEnabled('warn')) return next();
    const started = performance.now();
    const { method } = req;
    const url = redactUrl(req.originalUrl);
    // 'close' follows 'finish' for a completed response and comes alone when the client left.
    // A client that left halfway through its body may still get an error answer written into
    // the closing socket: its request ended early all the same.
    res.once('close', () => {
      const line = { reqId: id, req: { method, url }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) };
      if (!res.writableFinished || req.readableAborted) lines.warn(line, 'request aborted');
      else if (completed) lines.info(line, 'request completed');
    });
    next();
  };
}
