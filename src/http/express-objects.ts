import type { Express } from 'express';
import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';

/**
 * node:http request and response classes whose objects are born with an Express app's
 * prototypes (app.request and app.response), on the Node releases where that pays.
 *
 * Express gives every request and response its prototypes with Object.setPrototypeOf as it
 * starts handling them. Before Node 24, doing that to a live object costs V8 dearly, in Express
 * and in Node's own HTTP code afterwards. CPU per request of Express 5 answering with a raw
 * `res.end`, 50 connections, measured here side by side (2026-11-24):
 *
 *   Node 20: 170-225 µs as Express comes, 53-87 µs with objects born with its prototypes
 *   Node 22: 170-220 µs as it comes, 64-84 µs born
 *   Node 24: 58-59 µs as it comes, 76-90 µs born (its V8 handles setPrototypeOf well)
 *
 * (a bare node:http server: 35-55 µs on each). So this is on before Node 24 and off from it.
 * Born with its prototypes, an object meets Express's setPrototypeOf as a no-op; the objects,
 * their properties and Express's behaviour are otherwise the same.
 *
 * Until `adopt` runs, the objects are plain IncomingMessage and ServerResponse. Should a Node
 * release make those ES classes (which cannot be called as functions), this gives no options.
 */
export function expressBornObjects(nodeMajor = Number(process.versions.node.split('.')[0])): {
  options: ServerOptions;
  adopt(app: Express): void;
} {
  if (nodeMajor >= 24 || isClass(IncomingMessage) || isClass(ServerResponse)) return { options: {}, adopt: () => undefined };
  // Node's own constructors chain like this (ServerResponse calls OutgoingMessage.call(this, …)).
  // Reflect.construct with a new.target would be the class-safe way, but on Node 20 it measured
  // 4x slower than Express as it comes.
  const construct = (parent: unknown, self: unknown, args: unknown[]) => (parent as (...a: unknown[]) => void).apply(self, args);
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    construct(IncomingMessage, this, [socket]);
  }
  function ExpressResponse(this: ServerResponse, req: IncomingMessage, options?: object): void {
    construct(ServerResponse, this, [req, options]);
  }
  ExpressRequest.prototype = Object.create(IncomingMessage.prototype) as object;
  ExpressResponse.prototype = Object.create(ServerResponse.prototype) as object;
  return {
    options: {
      IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
      ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
    },
    adopt(app) {
      ExpressRequest.prototype = app.request;
      ExpressResponse.prototype = app.response;
    },
  };
}

function isClass(f: unknown): boolean {
  return /^class\b/.test(Function.prototype.toString.call(f));
}
