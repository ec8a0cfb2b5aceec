import type { Authenticator } from '../auth/authenticator.js';
import type { Config } from '../config/config.js';
import type { Deps } from '../domain/deps.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

/** What the live layer can tell the HTTP layer (answers span every process when on Redis). */
export interface LiveInfo {
  connectedDisplayIds(): Promise<Set<string>>;
}

/** Everything the HTTP app needs, passed in explicitly so tests build apps with real parts. */
export interface AppContext {
  deps: Deps;
  auth: Authenticator;
  jwtSecret: string;
  config: Pick<Config, 'bodyLimitBytes' | 'trustProxy' | 'loginRateLimit' | 'kudosRateLimit' | 'metricsToken' | 'metricsPort' | 'nodeEnv'>;
  log: Logger;
  liveInfo: LiveInfo;
  /** Prometheus instruments; server.ts owns them because the live layer feeds them too. */
  metrics: Metrics;
  /** Directory with the built web bundles (dist/public); static pages come from public/. */
  webRoot: string;
  publicRoot: string;
  /** True once the process is stopping: /readyz then answers 503 while requests are still served. */
  stopping?: () => boolean;
}
