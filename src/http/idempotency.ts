import type { RequestHandler } from 'express';
import { RuleViolationError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { idempotencyKeyOf } from './routes/kudos.routes.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Idempotency-Key for every write: a retry with the same key from the same user gets the first
 * successful answer back and writes nothing. Stored in the database so it holds across
 * processes. (POST /kudos additionally stores the key inside the kudos write itself, so even a
 * crash between the write and this record cannot produce a duplicate.)
 */
export function idempotency(store: Store, now: () => number): RequestHandler {
  return (req, res, next) => {
    if (!WRITE.has(req.method) || req.principal?.kind !== 'user' || req.get('Idempotency-Key') === undefined) return next();
    const userId = req.principal.user.id;
    let key: string;
    try {
      key = idempotencyKeyOf(req) as string;
    } catch (err) {
      return next(err);
    }
    const path = req.originalUrl.split('?')[0] ?? '';
    store.getStoredResponse(userId, key).then((stored) => {
      if (stored && Date.parse(stored.createdAt) > now() - IDEMPOTENCY_TTL_MS) {
        if (stored.method !== req.method || stored.path !== path) {
          throw new RuleViolationError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request.');
        }
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(stored.status).type('application/json').send(stored.body);
        return;
      }
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          const text = JSON.stringify(body);
          store
            .saveStoredResponse({ userId, key, method: req.method, path, status: res.statusCode, body: text, createdAt: new Date(now()).toISOString() })
            .catch((err: unknown) => req.log.warn({ err, reqId: req.id }, 'could not store idempotent response'));
        }
        return json(body);
      };
      next();
    }).catch(next);
  };
}
