import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { Api } from '../../test/support/api.js';
import { seededRandom } from '../../test/support/seeded-random.js';

/** Who takes part in the simulated office life, all created through the public API. */
export interface SoakCast {
  /** Signed-in clients of the people who give kudos; the last one is the feed page's employee. */
  people: Api[];
  ids: string[];
  behaviourKeys: string[];
  /** hr/admin: removes kudos with a reason, as moderation does. */
  admin: Api;
}

export interface LifeCounts {
  posted: number;
  privatePosted: number;
  removed: number;
  reactions: number;
  comments: number;
}

export const noLife = (): LifeCounts => ({ posted: 0, privatePosted: 0, removed: 0, reactions: 0, comments: 0 });

const PRIVATE_SHARE = 0.2;
const REMOVED_SHARE = 0.04;
const REACTION_SHARE = 0.15;
const COMMENT_SHARE = 0.05;
const WORDS = 'thanks for staying late to fix the release and for explaining the new billing flow to the whole team so patiently again'.split(' ');

/**
 * Posts `n` kudos over HTTP, `width` at a time, the way an office does: mostly public, some
 * private, a few removed by hr afterwards, some reacted to or commented on. Seeded, so two runs
 * post the same life.
 */
export async function liveALife(cast: SoakCast, n: number, seed: number, counts: LifeCounts, width = 4): Promise<void> {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const plan = Array.from({ length: n }, () => {
    const giver = Math.floor(rnd() * cast.people.length);
    let to = Math.floor(rnd() * cast.people.length);
    if (to === giver) to = (to + 1) % cast.people.length;
    const words = Array.from({ length: 4 + Math.floor(rnd() * 40) }, () => pick(WORDS));
    return {
      giver,
      body: {
        recipientIds: [cast.ids[to] as string],
        behaviourKeys: [pick(cast.behaviourKeys)],
        message: `${words.join(' ')}.`,
        visibility: rnd() < PRIVATE_SHARE ? 'private' : 'public',
      },
      remove: rnd() < REMOVED_SHARE,
      react: rnd() < REACTION_SHARE ? pick(['👏', '🎉', '❤️', '🚀']) : null,
      comment: rnd() < COMMENT_SHARE,
      other: cast.people[to] as Api,
    };
  });
  let next = 0;
  const one = async () => {
    for (let i = next++; i < plan.length; i = next++) {
      const p = plan[i] as (typeof plan)[number];
      const res = await (cast.people[p.giver] as Api).post<{ id: string }>('/api/v1/kudos', p.body);
      if (res.status !== 201) throw new Error(`post kudos: ${res.status} ${res.text}`);
      counts.posted++;
      if (p.body.visibility === 'private') counts.privatePosted++;
      const id = res.body.id;
      if (p.react) await expect(p.other.post(`/api/v1/kudos/${id}/reactions`, { emoji: p.react }), 201, () => counts.reactions++);
      if (p.comment) await expect(p.other.post(`/api/v1/kudos/${id}/comments`, { message: 'Seconded, thank you!' }), 201, () => counts.comments++);
      if (p.remove) await expect(cast.admin.delete(`/api/v1/kudos/${id}`, { reason: 'Removed in the soak benchmark.' }), 204, () => counts.removed++);
    }
  };
  await Promise.all(Array.from({ length: width }, one));
}

async function expect(call: Promise<{ status: number; text: string }>, status: number, counted: () => void): Promise<void> {
  const res = await call;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
  counted();
}

/**
 * Waits until the pages have caught up: at thousands of kudos a minute a page renders behind the
 * stream for seconds, and a sample taken then measures its backlog, not what it keeps. A public
 * kudos posted last arrives last; once both pages show it, everything before it was handled.
 * Then a little longer, for the feed's 2.5 s "new" highlight to end. Without `counts`, only the
 * wait: where no kudos arrive, a marker would be the only change the pages see.
 */
export async function settle(cast: SoakCast, pages: readonly Page[], counts: LifeCounts | null): Promise<void> {
  if (!counts) return void (await new Promise((ok) => setTimeout(ok, 3000)));
  const [giver, to] = [cast.people[0] as Api, cast.ids[1] as string];
  const res = await giver.post<{ id: string }>('/api/v1/kudos', { recipientIds: [to], behaviourKeys: [cast.behaviourKeys[0]], message: 'The last one for now: thank you all.' });
  if (res.status !== 201) throw new Error(`post kudos: ${res.status} ${res.text}`);
  counts.posted++;
  await Promise.all(pages.map((p) => p.locator(`[data-kudos-id="${res.body.id}"]`).first().waitFor({ state: 'attached', timeout: 120_000 })));
  await new Promise((ok) => setTimeout(ok, 3000));
}

/** The page's own live indicator: the TV wall's status line, or the feed's badge. */
function liveStatus(page: Page, s: 'online' | 'offline') {
  return page.locator(`[data-testid="display-status"][data-status="${s}"], .live-badge[data-status="${s}"]`).waitFor({ state: 'attached', timeout: 60_000 });
}

/**
 * Cuts the page's network (Chromium's offline mode closes its WebSocket and fails every request)
 * and gives it back once the page says it is offline; done when it says it is live again.
 */
export async function dropNetwork(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await liveStatus(page, 'offline');
  await page.context().setOffline(false);
  await liveStatus(page, 'online');
}

export const waitOnline = (page: Page) => liveStatus(page, 'online');

/**
 * A socket.io client that connects, asks to catch up as the pages do, and leaves: `n` times,
 * `width` at a time. What the server keeps per connection must go with it.
 */
export async function churnSockets(url: string, token: string, n: number, width = 8): Promise<void> {
  let left = n;
  const one = async () => {
    while (left-- > 0) {
      const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('connect_error', fail);
      });
      await socket.timeout(10_000).emitWithAck('feed:since', { createdAt: new Date().toISOString() });
      socket.close();
    }
  };
  await Promise.all(Array.from({ length: width }, one));
}
