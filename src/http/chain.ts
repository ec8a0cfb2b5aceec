import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middleware run one after another as one Express layer. Every layer costs Express's router a
 * dispatch (path match, prefix trim, bookkeeping) on every request; the middleware that every
 * request passes through anyway need none of it.
 */
export function chain(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const handler = handlers[i++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        // Express 5 forwards a rejected promise from a middleware; so does this.
        if (result instanceof Promise) result.catch(step);
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}
