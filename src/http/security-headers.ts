import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * What helmet sets with these options, worked out once. helmet runs a dozen small middlewares
 * on every request, each checking its options and setting one header; with options that take
 * nothing from the request (no CSP nonce), every request gets the same headers. Throws if
 * helmet ever does something per request that this cannot replay (async work, an error).
 */
export function helmetHeaders(options: HelmetOptions): HeaderList {
  const headers: [string, string][] = [];
  let done = false;
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      if (typeof value !== 'string') throw new Error(`helmet set ${name} to a non-string value`);
      headers.push([name, value]);
    },
    // Only X-Powered-By, which the app never sets (app.disable('x-powered-by')).
    removeHeader() {},
  };
  const next = (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    done = true;
  };
  (helmet(options) as unknown as (req: object, res: object, next: (err?: unknown) => void) => void)({}, res, next);
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/** Sets the precomputed security headers on every response. */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const headers = helmetHeaders(options);
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
