import type { RequestHandler } from 'express';
import type { Store } from '../../store/store.js';

/** Unauthenticated: load balancers and orchestrators probe these, at / and under /api/v1. */
export function healthHandlers(store: Store, stopping: () => boolean): { healthz: RequestHandler; readyz: RequestHandler } {
  return {
    healthz: (_req, res) => {
      res.json({ status: 'ok' });
    },
    readyz: async (_req, res) => {
      if (stopping()) {
        res.status(503).json({ error: { code: 'shutting_down', message: 'This process is stopping; send new requests elsewhere.', details: [] } });
        return;
      }
      const ok = await store.ping().catch(() => false);
      if (ok) {
        res.json({ status: 'ok', store: store.name });
        return;
      }
      res.status(503).json({ error: { code: 'store_unavailable', message: 'Storage is not reachable.', details: [] } });
    },
  };
}
