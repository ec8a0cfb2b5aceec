import express, { type Express, type RequestHandler, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UnauthorizedError } from '../domain/errors.js';
import { inputArrived } from '../store/freshness.js';
import { authenticate } from './authenticate.js';
import { chain } from './chain.js';
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
import { requestLog } from './request-log.js';
import { securityHeaders } from './security-headers.js';

const CSV_LIMIT_BYTES = 10 * 1024 * 1024;

const arrived: RequestHandler = (_req, _res, next) => {
  inputArrived();
  next();
};

const signedIn: RequestHandler = (req, _res, next) => next(req.principal ? undefined : new UnauthorizedError());

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
        connectSrc: ["'self'", 'ws:', 'wss:'],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: ctx.config.nodeEnv === 'production',
  });
  // Before anything reads for this request, so that what it reads reflects every commit made
  // before it arrived (src/store/freshness.ts). Then metrics, so the duration covers logging,
  // security headers and everything after them.
  app.use(chain(arrived, httpMetrics(ctx.metrics), requestLog(ctx.log), security));
  const api = express.Router();
  api.use(rememberMount);
  healthRoutes(ctx.deps.store, api);
  api.get('/openapi.json', openApiHandler());
  api.use(chain(
    express.json({ limit: ctx.config.bodyLimitBytes, strict: true, type: 'application/json' }),
    authenticate(ctx.auth, ctx.jwtSecret),
    idempotency(ctx.deps.store, () => ctx.deps.clock.now()),
  ));
  // Nobody without a valid token makes the server read 10 MB.
  api.use('/users/import', signedIn, express.text({ limit: CSV_LIMIT_BYTES, type: 'text/csv' }));
  // Registered on the API router itself, not as nested routers: every nested router is another
  // full dispatch per request. The feed and posting carry almost all traffic: tried first.
  for (const register of [kudosRoutes, authRoutes, peopleRoutes, behaviourRoutes, insightRoutes, periodRoutes, adminRoutes]) register(ctx, api);
  api.use(notFoundHandler);
  // The API first: its requests then pass no other route on their way in.
  app.use('/api/v1', api);

  healthRoutes(ctx.deps.store, app.router as Router);
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
