import { buildUser } from './api.js';
import type { Harness } from './harness.js';
import { connectLive, type LiveClient } from './live-client.js';

type Person = Awaited<ReturnType<typeof buildUser>>;

export interface LiveTrio {
  /** In Support, made before the suite's tests. */
  readonly alice: Person;
  /** In Support, made before the suite's tests. */
  readonly bob: Person;
  /** In Sales, made before the suite's tests. */
  readonly carol: Person;
  /** A live connection to the suite's server with `token`, closed after each test. */
  live(token: string): Promise<LiveClient>;
}

/**
 * The set-up the live tests of a forEachStore() suite share, called in its body: three people
 * in two teams, made in a before() hook, and live connections closed in an afterEach() hook.
 */
export function liveTrio(h: () => Harness): LiveTrio {
  const people: { alice?: Person; bob?: Person; carol?: Person } = {};
  const open: LiveClient[] = [];
  before(async () => {
    people.alice = await buildUser(h().admin, { team: 'Support' });
    people.bob = await buildUser(h().admin, { team: 'Support' });
    people.carol = await buildUser(h().admin, { team: 'Sales' });
  });
  afterEach(() => {
    while (open.length) open.pop()?.close();
  });
  const made = (who: keyof typeof people): Person => {
    const p = people[who];
    if (!p) throw new Error(`${who} is made in the suite's before() hook`);
    return p;
  };
  return {
    get alice() {
      return made('alice');
    },
    get bob() {
      return made('bob');
    },
    get carol() {
      return made('carol');
    },
    async live(token) {
      const c = await connectLive(h().server.url, token);
      open.push(c);
      return c;
    },
  };
}
