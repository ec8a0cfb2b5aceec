import type { Request } from 'autocannon';
import { benchKudosMessage } from './fanout-payload.js';
import { TEST_JWT_SECRET } from '../../test/support/process.js';
import type { ShineFixture } from './shine-fixture.js';

/** How the benchmarks run Shine: as in production, with a rate limit the load never meets. */
export function benchShineEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    SHINE_SQLITE_SYNCHRONOUS: 'FULL',
    // 50 givers posting ~100 kudos/s each would meet the real limit (30 per minute) at once. A 1 s
    // window with a limit nobody reaches keeps the limit's check inside each write near the size
    // it has in production (there at most 30 rows, here ~50-100); a huge limit over 60 s would
    // count thousands per post.
    SHINE_KUDOS_RATE_LIMIT: '100000',
    SHINE_KUDOS_RATE_WINDOW: '1',
    ...extra,
  };
}

// Shared by every POST run of a script, so kudos messages never repeat within one database.
let posted = 0;

/** autocannon's request builder for POST /kudos: the fixture's givers take turns, each post different. */
export function postKudosRequest(fx: ShineFixture): (req: Request) => Request {
  return (req) => {
    const n = posted++;
    const token = fx.givers[n % fx.givers.length] as string;
    const body = {
      recipientIds: [fx.recipientIds[n % fx.recipientIds.length] as string],
      behaviourKeys: [fx.behaviourKeys[n % fx.behaviourKeys.length] as string],
      message: benchKudosMessage(n),
    };
    return { ...req, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) };
  };
}

/** autocannon's request builder for the feed's first page, read by the givers in turn. */
export function feedRequest(fx: ShineFixture): (req: Request) => Request {
  let n = 0;
  return (req) => ({ ...req, headers: { authorization: `Bearer ${fx.givers[n++ % fx.givers.length] as string}` } });
}
