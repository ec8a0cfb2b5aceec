import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { resolveJwtSecret } from '../../src/auth/jwt-secret.js';
import { JWT_AUDIENCE, JWT_ISSUER } from '../../src/auth/tokens.js';
import { routeRegistry, type RouteSpec } from '../../src/http/route.js';
import type { Cursor } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { Api, buildUser } from './api.js';
import type { FuzzContext } from './fuzz-generators.js';
import { startTestServer, type TestServer } from './server.js';
import { availableStores } from './stores.js';

/** A real server with people, kudos and every kind of credential, ready to be fuzzed. */
export interface FuzzTarget {
  server: TestServer;
  ctx: FuzzContext;
  close(): Promise<void>;
}

/** The registry holds one copy of each route per app built in this process: keep the first. */
export function uniqueRoutes(): RouteSpec[] {
  const seen = new Map<string, RouteSpec>();
  for (const spec of routeRegistry) seen.set(`${spec.method} ${spec.path}`, seen.get(`${spec.method} ${spec.path}`) ?? spec);
  return [...seen.values()];
}

/** Starts the target. The store is built here so its error classes are the ones the app checks. */
export async function startFuzzTarget(): Promise<FuzzTarget> {
  const made = await availableStores()[0]!.make();
  const server = await startTestServer({ store: made.store });
  const admin = await new Api(server.url).loginAdmin();
  const a = await buildUser(admin, { name: 'Fuzz Ada', team: 'Support' });
  const b = await buildUser(admin, { name: 'Fuzz Bo', team: 'Sales' });
  const c = await buildUser(admin, { name: 'Fuzz Cy', team: 'Support' });
  const display = await admin.post<{ token: string }>('/api/v1/displays', { name: 'Fuzz TV' });
  if (display.status !== 201) throw new Error(`display: ${display.status} ${display.text}`);
  const behaviours = (await admin.get<{ key: string }[]>('/api/v1/behaviours')).body.slice(0, 6).map((x) => x.key);
  const kudos: string[] = [];
  for (const [giver, to] of [[admin, a], [a.api, b], [b.api, c]] as const) {
    const res = await giver.post<{ id: string }>('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: [behaviours[0]], message: 'Seed kudos' });
    if (res.status !== 201) throw new Error(`kudos: ${res.status} ${res.text}`);
    kudos.push(res.body.id);
  }
  const me = await admin.get<{ id: string }>('/api/v1/me');
  const adminUser = await server.store.getUser(me.body.id);
  const secret = resolveJwtSecret(null, server.dataDir);
  const sign = (claims: object, key = secret) => jwt.sign({ sub: me.body.id, iss: JWT_ISSUER, aud: JWT_AUDIENCE, ...claims }, key, { algorithm: 'HS256' });
  const now = Math.floor(Date.now() / 1000);
  const tv = adminUser?.tokenVersion ?? 0;
  const ctx: FuzzContext = {
    routes: uniqueRoutes(),
    tokens: {
      admin: admin.token as string,
      employee: a.api.token as string,
      display: display.body.token,
      expired: sign({ tv, iat: now - 7200, exp: now - 3600 }),
      wrongSecret: sign({ tv, exp: now + 3600 }, 'not-the-server-secret-but-long-enough-0123456789'),
      staleVersion: sign({ tv: tv + 7, exp: now + 3600 }),
    },
    ids: { kudos, users: [a.user.id, b.user.id, c.user.id, me.body.id], behaviours },
    bodyLimit: 65_536,
  };
  return {
    server,
    ctx,
    async close() {
      await server.close();
      await made.dispose();
    },
  };
}

async function allPages<T>(page: (after: Cursor | null) => Promise<{ items: T[]; next: Cursor | null }>): Promise<T[]> {
  const out: T[] = [];
  let after: Cursor | null = null;
  do {
    const p = await page(after);
    out.push(...p.items);
    after = p.next;
  } while (after);
  return out;
}

export interface StateFingerprint {
  users: number;
  kudos: number;
  comments: number;
  reactions: number;
  behaviours: number;
  periods: number;
  displays: number;
  audit: number;
  /** sha256 over everything above in full (names, roles, rules...), to catch in-place edits. */
  digest: string;
}

/**
 * Everything a request could write, read straight from the store. Display last-seen times are
 * left out: reading the feed with a display token legitimately moves them.
 */
export async function fingerprint(store: Store): Promise<StateFingerprint> {
  const users = (await store.allUsers()).sort((x, y) => x.id.localeCompare(y.id));
  const kudos = await allPages((after) => store.feedPage({ viewer: { userId: null, privateAccess: 'all' } }, { limit: 100, after }));
  const behaviours = await store.listBehaviours();
  const periods = await store.listPeriods();
  const displays = (await store.listDisplays()).map(({ lastSeenAt: _seen, ...d }) => d);
  const audit = await allPages((after) => store.auditPage({ limit: 100, after }));
  const rules = await store.getRules();
  const digest = createHash('sha256').update(JSON.stringify({ users, kudos, behaviours, periods, displays, audit, rules })).digest('hex');
  return {
    users: users.length,
    kudos: kudos.length,
    comments: kudos.reduce((n, k) => n + k.commentCount, 0),
    reactions: kudos.reduce((n, k) => n + Object.values(k.reactions).reduce((a, b) => a + b, 0), 0),
    behaviours: behaviours.length,
    periods: periods.length,
    displays: displays.length,
    audit: audit.length,
    digest,
  };
}
