import { expect } from 'chai';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { chain } from '../../src/http/chain.js';

/** Runs a chain to its end and reports what reached Express's `next`. */
function run(...handlers: RequestHandler[]): Promise<{ err: unknown; seen: string[] }> {
  const req = { seen: [] as string[] } as unknown as Request & { seen: string[] };
  return new Promise((resolve) => {
    const next: NextFunction = (err?: unknown) => resolve({ err, seen: req.seen });
    chain(...handlers)(req, {} as Response, next);
  });
}

const mark = (name: string): RequestHandler => (req, _res, next) => {
  (req as unknown as { seen: string[] }).seen.push(name);
  next();
};

describe('chain (middleware as one Express layer)', () => {
  it('runs the middleware in order, synchronous or not, then passes on', async () => {
    const later: RequestHandler = (req, res, next) => setImmediate(() => mark('later')(req, res, next));
    const { err, seen } = await run(mark('a'), later, mark('b'));
    expect(err).to.equal(undefined);
    expect(seen).to.deep.equal(['a', 'later', 'b']);
  });

  it('stops at the first error, whether passed to next, thrown or a rejected promise', async () => {
    const boom = new Error('boom');
    for (const failing of [
      ((_req, _res, next) => next(boom)) as RequestHandler,
      (() => { throw boom; }) as RequestHandler,
      (async () => { throw boom; }) as RequestHandler,
    ]) {
      const { err, seen } = await run(mark('a'), failing, mark('never'));
      expect(err).to.equal(boom);
      expect(seen).to.deep.equal(['a']);
    }
  });
});
