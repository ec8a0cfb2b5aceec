import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate } from './authenticate.js';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { idempotency } from './idempotency.js';
import { httpMetrics, metricsEndpoint, rememberMount } from './metrics.js';
import { openApiHandler } from './openapi.js';
import { adminRoutes } from './routes/admin.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { behaviourRoutes } from './routes/behaviours.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { insightRoutes } from './routes/insight.routes.js';
import { kudosRoutes } from './routes/kudos.routes.js';
import { pageRoutes } from './routes/pages.routes.js';
import { peopleRoutes } from './routes/people.routes.js';
import { periodRoutes } from './routes/periods.routes.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const CSV_LIMIT_BYTES = 10 * 1024 * 1024;

/** Builds the whole HTTP app from explicit parts; main.ts and the tests both call this. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');
  // First, so the duration covers logging, security headers and everything after them.
  app.use(httpMetrics(ctx.metrics));
  app.use(
    pinoHttp({
      logger: ctx.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Only method, url and status: never headers with tokens, never bodies.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.replace(/token=[^&]+/g, 'token=[redacted]') }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: ctx.config.nodeEnv === 'production',
    }),
  );
  app.use(healthRoutes(ctx.deps.store));
  // With SHINE_METRICS_PORT the scrape endpoint lives only on that listener (see server.ts).
  if (ctx.config.metricsPort === null) {
    const guard = ctx.config.metricsToken ? { kind: 'token' as const, token: ctx.config.metricsToken } : { kind: 'loopback' as const };
    app.get('/metrics', metricsEndpoint(ctx.metrics, guard));
  }

  const api = express.Router();
  api.use(rememberMount);
  api.use(healthRoutes(ctx.deps.store));
  api.get('/openapi.json', openApiHandler());
  api.use(express.json({ limit: ctx.config.bodyLimitBytes, strict: true, type: 'application/json' }));
  api.use(express.text({ limit: CSV_LIMIT_BYTES, type: 'text/csv' }));
  api.use(authenticate(ctx.auth, ctx.jwtSecret));
  api.use(idempotency(ctx.deps.store, () => ctx.deps.clock.now()));
  api.use(authRoutes(ctx));
  api.use(peopleRoutes(ctx));
  api.use(behaviourRoutes(ctx));
  api.use(kudosRoutes(ctx));
  api.use(insightRoutes(ctx));
  api.use(periodRoutes(ctx));
  api.use(adminRoutes(ctx));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  // Bundles have no content hash in their names: revalidate (ETag) so a deploy reaches every
  // browser and TV at its next load instead of up to an hour later.
  if (existsSync(ctx.webRoot)) app.use('/assets', express.static(ctx.webRoot, { maxAge: 0, index: false }));
  app.use(express.static(join(ctx.publicRoot), { index: false, maxAge: 0 }));
  app.use(pageRoutes(ctx.publicRoot));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
