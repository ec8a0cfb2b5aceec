import { after, afterEach, before, beforeEach } from 'mocha';
import { expect } from 'chai';
import { newId } from '../../src/domain/ids.js';
import type { Behaviour, FeedFilter, NewKudos, NewUser, Page, PageRequest, User, Viewer } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import type { StoreKind } from '../support/stores.js';

/** A fixed instant; tests place data relative to it so expected orders are hand-checkable. */
export const T0 = Date.parse('2026-03-01T09:00:00.000Z');

/** ISO time `minutes` after T0. */
export function at(minutes: number): string {
  return new Date(T0 + minutes * 60_000).toISOString();
}

/**
 * Registers hooks that give each test (scope 'each') or the whole describe block (scope 'all')
 * a fresh, empty store from `kind`, and returns a getter for it.
 */
export function useStore(kind: StoreKind, scope: 'each' | 'all' = 'each'): () => Store {
  let current: { store: Store; dispose: () => Promise<void> } | null = null;
  const setUp = async () => {
    current = await kind.make();
  };
  const tearDown = async () => {
    const c = current;
    current = null;
    if (c) await c.dispose();
  };
  if (scope === 'each') {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    before(setUp);
    after(tearDown);
  }
  return () => {
    if (!current) throw new Error('store used outside a test');
    return current.store;
  };
}

export function buildUser(overrides: Partial<NewUser> = {}): NewUser {
  const id = overrides.id ?? newId();
  const tag = id.slice(-8).toLowerCase();
  return {
    id,
    name: `Person ${tag}`,
    email: `p-${tag}@example.test`,
    team: 'Support',
    role: 'employee',
    managerId: null,
    passwordHash: null,
    createdAt: at(-10_000),
    ...overrides,
  };
}

export function buildBehaviour(overrides: Partial<Behaviour> = {}): Behaviour {
  const key = overrides.key ?? `behaviour-${newId().slice(-6).toLowerCase()}`;
  return {
    key,
    group: 'Make the Customer #1',
    name: `Name of ${key}`,
    description: 'What it looks like in practice.',
    weight: 1,
    active: true,
    ...overrides,
  };
}

/** A kudos from `giver` to `recipients`; teams are the giver's and recipients' teams, as the use case sets them. */
export function buildKudos(
  giver: User,
  recipients: User[],
  behaviourKeys: string[],
  overrides: Partial<NewKudos> = {},
): NewKudos {
  return {
    id: newId(),
    giverId: giver.id,
    recipientIds: recipients.map((r) => r.id),
    behaviourKeys,
    message: 'Thanks for staying late to help the customer from Leeds.',
    visibility: 'public',
    createdAt: at(0),
    teams: [...new Set([giver.team, ...recipients.map((r) => r.team)])],
    idempotencyKey: null,
    ...overrides,
  };
}

/** Creates users from partial specs, returning them in the same order. */
export async function seedUsers(store: Store, specs: Partial<NewUser>[]): Promise<User[]> {
  const out: User[] = [];
  for (const s of specs) out.push(await store.createUser(buildUser(s)));
  return out;
}

export const ALL: Viewer = { userId: null, privateAccess: 'all' };
export const PUBLIC_ONLY: Viewer = { userId: null, privateAccess: 'none' };
export function own(userId: string): Viewer {
  return { userId, privateAccess: 'own' };
}

/** Follows `next` cursors to the end, failing if a page repeats an item or the walk never ends. */
export async function collectPages<T extends { id: string }>(
  fetch: (page: PageRequest) => Promise<Page<T>>,
  limit: number,
): Promise<T[]> {
  const out: T[] = [];
  let after: PageRequest['after'] = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: Page<T> = await fetch({ limit, after });
    expect(page.items.length).to.be.at.most(limit);
    if (after) expect(page.items.length, 'a next cursor led to an empty page').to.be.above(0);
    out.push(...page.items);
    if (!page.next) return out;
    expect(page.items.length, 'a page with a next cursor is full').to.equal(limit);
    after = page.next;
  }
  throw new Error('pagination did not terminate');
}

/** Ids of a whole feed for `filter`, newest first, walked with small pages. */
export async function feedIds(store: Store, filter: FeedFilter, limit = 2): Promise<string[]> {
  const items = await collectPages((p) => store.feedPage(filter, p), limit);
  return items.map((k) => k.id);
}

/** Awaits `promise`, expecting it to reject with an instance of `type`; returns the error. */
export async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  let outcome: unknown;
  let threw = false;
  try {
    await promise;
  } catch (err) {
    outcome = err;
    threw = true;
  }
  if (!threw) expect.fail(`expected a ${type.name}, but the call succeeded`);
  expect(outcome).to.be.instanceOf(type);
  return outcome as E;
}

/** Drains an async iterable into an array. */
export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
