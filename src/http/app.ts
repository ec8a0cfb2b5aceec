import express, { type Express, type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inputArrived } from '../store/freshness.js';
import { ApiRouter } from './api-router.js';
import { authenticate } from './authenticate.js';
import { chain } from './chain.js';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { idempotency } from './idempotency.js';
import { jsonBody } from './json-body.js';
import { httpMetrics, metricsEndpoint } from './metrics.js';
import { openApiHandler } from './openapi.js';
import { adminRoutes } from './routes/admin.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { behaviourRoutes } from './routes/behaviours.routes.js';
import { healthHandlers } from './routes/health.routes.js';
import { insightRoutes } from './routes/insight.routes.js';
import { kudosRoutes } from './routes/kudos.routes.js';
import { pageRoutes } from './routes/pages.routes.js';
import { peopleRoutes } from './routes/people.routes.js';
import { periodRoutes } from './routes/periods.routes.js';
import { requestLog } from './request-log.js';
import { securityHeaders } from './security-headers.js';

const arrived: RequestHandler = (_req, _res, next) => {
  inputArrived();
  next();
};

/** Builds the whole HTTP app from explicit parts; main.ts and the tests both call this. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('query parser', 'simple');
  // No ETag on API answers: nobody revalidates them, and hashing every feed page cost CPU.
  // Static files and pages keep theirs (express.static and sendFile make their own).
  app.set('etag', false);
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // Not 'self' alone, although socket.io is same-origin and 'self' covers ws:/wss: in current
        // browsers: Safari before 15.4 (TV walls, old iPads) throws SecurityError from the WebSocket
        // constructor then, and engine.io-client 6.6 loses an error thrown while its first
        // transport opens, so the TV wall never connects, not even by polling.
        connectSrc: ["'self'", 'ws:', 'wss:'],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: ctx.config.nodeEnv === 'production',
  });
  const api = new ApiRouter([
    jsonBody(ctx.config.bodyLimitBytes),
    authenticate(ctx.auth, ctx.jwtSecret),
    idempotency(ctx.deps.store, () => ctx.deps.clock.now()),
  ]);
  const health = healthHandlers(ctx.deps.store, ctx.stopping ?? (() => false));
  api.open('get', '/healthz', health.healthz);
  api.open('get', '/readyz', health.readyz);
  api.open('get', '/openapi.json', openApiHandler());
  for (const register of [kudosRoutes, authRoutes, peopleRoutes, behaviourRoutes, insightRoutes, periodRoutes, adminRoutes]) register(ctx, api);

  // Before anything reads for this request, so that what it reads reflects every commit made
  // before it arrived (src/store/freshness.ts). Then metrics, so the duration covers logging,
  // security headers and everything after them. The API is served from the same layer, so
  // its requests pass no other Express layer on their way in.
  app.use(chain(arrived, httpMetrics(ctx.metrics), requestLog(ctx.log), security, api.dispatch));
  app.get('/healthz', health.healthz);
  app.get('/readyz', health.readyz);
  // With SHINE_METRICS_PORT the scrape endpoint lives only on that listener (see server.ts).
  if (ctx.config.metricsPort === null) {
    const guard = ctx.config.metricsToken ? { kind: 'token' as const, token: ctx.config.metricsToken } : { kind: 'loopback' as const };
    app.get('/metrics', metricsEndpoint(ctx.metrics, guard));
  }

  // Bundles have no content hash in their names: revalidate (ETag) so a deploy reaches every
  // browser and TV at its next load instead of up to an hour later.
  if (existsSync(ctx.webRoot)) app.use('/assets', express.static(ctx.webRoot, { maxAge: 0, index: false }));
  app.use(express.static(join(ctx.publicRoot), { index: false, maxAge: 0 }));
  app.use(pageRoutes(ctx.publicRoot));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
