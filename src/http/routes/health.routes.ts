import { Router } from 'express';
import type { Store } from '../../store/store.js';

/** Unauthenticated: load balancers and orchestrators probe these. */
export function healthRoutes(store: Store, r: Router = Router()): Router {
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const ok = await store.ping().catch(() => false);
    if (ok) {
      res.json({ status: 'ok', store: store.name });
      return;
    }
    res.status(503).json({ error: { code: 'store_unavailable', message: 'Storage is not reachable.', details: [] } });
  });
  return r;
}
