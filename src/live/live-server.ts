import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Authenticator, AuthResult } from '../auth/authenticator.js';
import type { LivePublisher } from '../domain/deps.js';
import type { KudosRecord, Viewer } from '../domain/types.js';
import { canSee } from '../domain/visibility.js';
import { idSchema, isoSchema } from '../domain/schemas/common.schema.js';
import type { LiveInfo } from '../http/context.js';
import { presentKudos } from '../http/presenters.js';
import type { Logger } from '../logger.js';
import { inputArrived } from '../store/freshness.js';
import type { Store } from '../store/store.js';
import type { Ack, ClientToServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { localBus, type LiveBus } from './live-orders.js';
import { LiveReceipts } from './live-receipts.js';
import {
  DISPLAYS_ROOM, FEED_ALL, PRIVILEGED_ALL, cutsRoom, displayRoom, feedTeamRoom, ownTeamRoom, privilegedTeamRoom, userRoom,
} from './rooms.js';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const subscribeArg = z.strictObject({ team: z.string().trim().min(1).max(80).nullable().optional() }).optional();
const sinceArg = z.union([
  z.strictObject({ id: idSchema, createdAt: isoSchema.optional() }),
  z.strictObject({ createdAt: isoSchema }),
]);
const REPLAY_LIMIT = 500;

export interface LiveOptions {
  auth: Authenticator;
  store: Store;
  log: Logger;
  onConnectionChange?: (kind: 'user' | 'display', delta: 1 | -1) => void;
}

/**
 * Rooms a kudos goes to: public → the feed rooms; private → its people and hr/admin only. Each
 * also per team, for connections narrowed to one (feed:subscribe), as the feed:since replay is.
 */
function audience(k: KudosRecord): string[] {
  if (k.visibility === 'public') return [FEED_ALL, ...k.teams.map(feedTeamRoom)];
  const people = [k.giver.id, ...k.recipients.map((r) => r.id)];
  return [
    ...people.map(userRoom), ...people.flatMap((id) => k.teams.map((t) => ownTeamRoom(id, t))),
    PRIVILEGED_ALL, ...k.teams.map(privilegedTeamRoom),
  ];
}

const STREAM_ROOM_PREFIXES = ['feed:', 'privileged:', 'own:', 'user:'];

/** Puts the connection in the rooms of the stream narrowed to `team` (null: every team) only. */
function joinFeedRooms(socket: LiveSocket, team: string | null): void {
  const d = socket.data;
  const rooms = [team ? feedTeamRoom(team) : FEED_ALL];
  if (d.privileged) rooms.push(team ? privilegedTeamRoom(team) : PRIVILEGED_ALL);
  if (d.userId) rooms.push(team ? ownTeamRoom(d.userId, team) : userRoom(d.userId));
  for (const room of socket.rooms) if (STREAM_ROOM_PREFIXES.some((p) => room.startsWith(p)) && !rooms.includes(room)) void socket.leave(room);
  for (const room of rooms) void socket.join(room);
}

const viewerOf = (d: SocketData): Viewer => ({
  userId: d.userId,
  privateAccess: d.kind === 'display' ? 'none' : d.privileged ? 'all' : 'own',
});

/**
 * The longest single wait for a token's expiry. Node keeps one timer list per distinct delay, and
 * the list of an unref'd timer that is cleared stays (empty) until that delay would have run
 * out. A delay of "until this token expires" is a new length, to the millisecond, for every
 * connection: each one dropped left its list behind for up to JWT_TTL (12 h by default, days
 * when configured so). Waiting in steps of one shared length leaves nothing behind but the last
 * step's, for under a minute; also within setTimeout's limit (2^31 - 1 ms) for a JWT_TTL of weeks.
 */
const EXPIRY_STEP_MS = 60_000;

/**
 * Ends a user's connection when its token expires, as HTTP refuses the token from then on: the
 * handshake checked it once, and without this a socket would go on receiving (private) kudos on
 * an expired credential for as long as it stays connected. The page then signs in again.
 */
function endAtExpiry(socket: LiveSocket, expiresAtMs: number): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const check = () => {
    const left = expiresAtMs - Date.now();
    if (left > 0) {
      timer = setTimeout(check, Math.min(left, EXPIRY_STEP_MS));
      timer.unref();
      return;
    }
    socket.emit('session:ended', { reason: 'token_expired' });
    socket.disconnect(true);
  };
  socket.on('disconnect', () => {
    if (timer) clearTimeout(timer);
  });
  check();
}

const fail = (ack: Ack | undefined, code: string, message: string) => ack?.({ ok: false, error: { code, message } });

/**
 * An event emitted with an acknowledgement and no payload (`emitWithAck('feed:subscribe')`)
 * reaches the handler with the callback first: without this it was read as a bad payload and the
 * client never got an answer.
 */
function payloadAndAck(arg: unknown, ack: Ack | undefined): [unknown, Ack | undefined] {
  return typeof arg === 'function' && ack === undefined ? [undefined, arg as Ack] : [arg, ack];
}

/**
 * socket.io on the app's HTTP server. Every handshake is authenticated; events are emitted to
 * rooms only after the store acknowledged the write (the use cases call the publisher then).
 * With Redis (redis.ts) the same room emits and disconnects reach every process, and the adapter
 * answers fetchSockets across processes.
 */
export function createLiveServer(http: HttpServer, opts: LiveOptions): {
  io: LiveServer;
  publisher: LivePublisher;
  info: LiveInfo;
  /** Routes the publisher's orders through this bus from now on (Redis, to reach every process). */
  useBus: (bus: LiveBus) => void;
} {
  const io: LiveServer = new Server(http, {
    serveClient: false,
    // No connection-state recovery: socket.io 4.8 restores a session's rooms and resends what it
    // missed from the client's session id alone, before our middleware has checked the token, so
    // a demoted, revoked or forged client would get events its credential no longer allows.
    // Clients catch up with `feed:since`, which the credential of this connection governs.
    pingInterval: 20_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 16 * 1024,
  });

  // What each handshake accepted, for the connection handler's second look (admit).
  const accepted = new WeakMap<LiveSocket, AuthResult>();

  io.use((socket, next) => {
    // What this connection and each of its messages read must reflect commits made before they
    // arrived (src/store/freshness.ts).
    inputArrived();
    socket.use((_packet, next) => {
      inputArrived();
      next();
    });
    const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return next(new Error('unauthorized'));
    opts.auth.fromToken(token).then((who) => {
      if (!who) return next(new Error('unauthorized'));
      if (who.kind === 'user') {
        socket.data = { kind: 'user', userId: who.user.id, displayId: null, privileged: who.user.role === 'hr' || who.user.role === 'admin', team: null, forcedTeam: null, expiresAtMs: who.expiresAtMs };
      } else {
        socket.data = { kind: 'display', userId: null, displayId: who.display.id, privileged: false, team: who.display.team, forcedTeam: who.display.team, expiresAtMs: null };
      }
      accepted.set(socket, who);
      next();
    }, (err: unknown) => {
      opts.log.error({ err }, 'socket authentication failed');
      next(new Error('unavailable'));
    });
  });

  /**
   * Joins the connection's rooms once its credential is known to still hold. The handshake read it
   * a moment ago, but a deactivation, logout, role change or revocation committed since then cut
   * the user's or display's room before this socket was in it. So the socket first joins its cuts
   * room, which cut orders reach and events do not, the credential is read again, and only then does
   * it join its rooms: nothing is sent to it before. Resolves whether it was admitted.
   */
  async function admit(socket: LiveSocket, who: AuthResult): Promise<boolean> {
    void socket.join(cutsRoom(who.kind === 'user' ? userRoom(who.user.id) : displayRoom(who.display.id)));
    inputArrived(); // the read below must see every commit whose cut order came before this line
    let withdrawn: Awaited<ReturnType<Authenticator['withdrawn']>>;
    try {
      withdrawn = await opts.auth.withdrawn(who);
    } catch (err) {
      opts.log.error({ err }, 'socket authentication failed');
      socket.disconnect(true);
      return false;
    }
    if (!socket.connected) return false; // cut (or gone) while it was being checked
    if (withdrawn) {
      if (withdrawn === 'display_revoked') socket.emit('display:revoked');
      else if (withdrawn === 'display_changed') socket.emit('display:changed');
      else socket.emit('session:ended', { reason: withdrawn });
      socket.disconnect(true);
      return false;
    }
    if (who.kind === 'display') void socket.join(DISPLAYS_ROOM);
    joinFeedRooms(socket, socket.data.team);
    return true;
  }

  io.on('connection', (socket) => {
    const d = socket.data;
    const who = accepted.get(socket);
    if (!who) return void socket.disconnect(true); // every handshake that got here was accepted
    if (d.expiresAtMs !== null) endAtExpiry(socket, d.expiresAtMs);
    opts.onConnectionChange?.(d.kind, 1);
    socket.on('disconnect', () => opts.onConnectionChange?.(d.kind, -1));
    const receipts = new LiveReceipts(socket);
    const admitted = admit(socket, who);
    // Messages wait for admission, and keep the order they came in.
    const whenAdmitted = (handle: () => void) => void admitted.then((ok) => ok && handle());

    socket.on('feed:subscribe', (...sent) => whenAdmitted(() => {
      const [arg, ack] = payloadAndAck(...sent);
      const parsed = subscribeArg.safeParse(arg);
      if (!parsed.success) return fail(ack, 'invalid_request', 'Expected {team?: string}.');
      const team = parsed.data?.team ?? null;
      if (d.forcedTeam && team !== d.forcedTeam && team !== null) return fail(ack, 'forbidden', 'This display is limited to its team.');
      d.team = d.forcedTeam ?? team;
      joinFeedRooms(socket, d.team);
      ack?.({ ok: true, team: d.team });
    }));

    socket.on('feed:since', (...sent) => whenAdmitted(() => {
      const [arg, ack] = payloadAndAck(...sent);
      const parsed = sinceArg.safeParse(arg);
      if (!parsed.success) return fail(ack, 'invalid_request', 'Expected {id} or {createdAt}.');
      replay(opts.store, socket, parsed.data, receipts).then(
        (r) => {
          receipts.stop();
          ack?.({ ok: true, ...r });
        },
        (err: unknown) => {
          opts.log.error({ err }, 'feed:since failed');
          fail(ack, 'unavailable', 'Could not replay the feed; try again.');
        },
      );
    }));
  });

  // Every live effect of a commit is an order on the bus: this process alone until useBus()
  // installs a shared one (Redis), which carries the orders to every process in one order.
  let bus: LiveBus = localBus(io, opts.log);
  const publisher: LivePublisher = {
    kudosCreated: (k) => bus.send({ kind: 'emit', rooms: audience(k), event: 'kudos:created', args: [presentKudos({ ...k, myReactions: [] })] }),
    kudosUpdated: (k) => bus.send({ kind: 'emit', rooms: audience(k), event: 'kudos:updated', args: [{ id: k.id, reactions: { ...k.reactions }, commentCount: k.commentCount }] }),
    kudosRemoved: (k) => bus.send({ kind: 'emit', rooms: audience(k), event: 'kudos:removed', args: [{ id: k.id }] }),
    disconnectUser: (id, reason = 'credentials_changed') => bus.send({ kind: 'cut', room: userRoom(id), event: 'session:ended', args: [{ reason }] }),
    disconnectDisplay: (id, reason = 'revoked') => bus.send({ kind: 'cut', room: displayRoom(id), event: reason === 'changed' ? 'display:changed' : 'display:revoked', args: [] }),
  };

  const info: LiveInfo = {
    async connectedDisplayIds() {
      const sockets = await io.in(DISPLAYS_ROOM).fetchSockets();
      return new Set(sockets.map((s) => s.data.displayId).filter((x): x is string => x !== null));
    },
  };
  return { io, publisher, info, useBus: (b) => (bus = b) };
}

/**
 * Sends, in order, the kudos this socket may see that were created after the anchor, except those
 * it already received live since it connected.
 */
async function replay(store: Store, socket: LiveSocket, anchor: z.infer<typeof sinceArg>, receipts: LiveReceipts): Promise<{ replayed: number; hasMore: boolean }> {
  const d = socket.data;
  const viewer = viewerOf(d);
  let after: { key: string; id: string };
  if ('id' in anchor) {
    // A kudos this connection may not see is an unknown id: how much follows it would tell when a
    // private kudos was given. One removed since the client received it still anchors.
    const k = await store.getKudos(anchor.id, null);
    if (k && canSee(viewer, { ...k, removedAt: null })) after = { key: k.createdAt, id: k.id };
    else if (anchor.createdAt) after = { key: anchor.createdAt, id: anchor.id };
    else return { replayed: 0, hasMore: false };
  } else {
    // Only a time: replay strictly after everything stamped at that instant or before it.
    after = { key: anchor.createdAt, id: '~' };
  }
  const items = await store.kudosAfter({ viewer, team: d.team ?? undefined }, after, REPLAY_LIMIT + 1);
  const page = items.slice(0, REPLAY_LIMIT).filter((k) => !receipts.has(k.id));
  // Written to this connection directly (no adapter, no Redis), so all of it precedes the ack.
  // Read for this viewer, so myReactions holds the reactions they made meanwhile on another
  // device (unlike a live kudos:created, which goes to a whole room before anyone has reacted).
  for (const k of page) socket.emit('kudos:created', presentKudos(k));
  return { replayed: page.length, hasMore: items.length > REPLAY_LIMIT };
}
