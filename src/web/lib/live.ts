import { io, type Socket } from 'socket.io-client';
import type { KudosUpdate, KudosView } from './types.js';

/** What the pages hear from the live connection. */
export interface LiveHandlers {
  created(k: KudosView): void;
  updated(u: KudosUpdate): void;
  removed(id: string): void;
  status(s: LiveStatus): void;
  /** The token was refused or the session was ended server-side. Reconnecting stops. */
  unauthorized(reason: 'unauthorized' | 'revoked' | 'session_ended'): void;
  /** The newest kudos the page holds, so a reconnect can ask for what it missed. */
  newest(): { id: string; createdAt: string } | null;
  /**
   * The page should reload its first page over HTTP. `gap`: what it holds may have a hole (nothing
   * to anchor on, no replay, or more missed than one replay holds), so start over from that page.
   * Otherwise (a connect after a full replay) reconcile that page with what it shows: reactions,
   * comments and removals made before this connection joined its rooms are not replayed.
   */
  resync(gap: boolean): void;
}

export type LiveStatus = 'connecting' | 'online' | 'offline';

interface ServerEvents {
  'kudos:created': (k: KudosView) => void;
  'kudos:updated': (u: KudosUpdate) => void;
  'kudos:removed': (r: { id: string }) => void;
  'display:revoked': () => void;
  'session:ended': (r: { reason: string }) => void;
}

type Ack = (r: { ok: boolean; hasMore?: boolean; replayed?: number }) => void;

interface ClientEvents {
  'feed:subscribe': (arg: { team?: string | null }, ack: Ack) => void;
  'feed:since': (arg: { id: string; createdAt?: string } | { createdAt: string }, ack: Ack) => void;
}

export interface LiveConnection {
  close(): void;
}

const MAX_DELAY_MS = 15_000;

/**
 * Opens the socket.io connection and keeps it open for as long as the page lives: socket.io's
 * own reconnection (exponential backoff, never giving up) covers network loss and server
 * restarts; the cases it does not retry (a middleware error other than "unauthorized", a
 * server-side disconnect) get a retry of our own. After every (re)connect the page asks for what
 * it missed with `feed:since`; handlers dedupe by id. Then it also reloads its first page, since
 * only new kudos are replayed: whatever the page holds was read over HTTP before this connection
 * joined its rooms (a first connect too: the page's first load, or a new connection after a
 * refused one), and a removal made in between reached no one.
 */
export function connectLive(token: string, h: LiveHandlers): LiveConnection {
  const socket: Socket<ServerEvents, ClientEvents> = io({
    path: '/socket.io',
    auth: { token },
    // WebSocket first: one long-lived connection suits a wall that runs for weeks; long-polling
    // stays available for networks that block WebSockets.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: MAX_DELAY_MS,
    randomizationFactor: 0.5,
    timeout: 10_000,
  });
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let manualAttempts = 0;

  const stop = (reason: 'unauthorized' | 'revoked' | 'session_ended') => {
    if (stopped) return;
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    socket.disconnect();
    h.unauthorized(reason);
  };

  /** For failures socket.io will not retry by itself. */
  const retryLater = () => {
    if (stopped || retryTimer) return;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** manualAttempts++);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!stopped && !socket.connected) socket.connect();
    }, base * (0.5 + Math.random()));
  };

  // The ack comes once the server admitted the connection (its rooms are joined: live-server.ts),
  // so the reload it starts reads after anything this connection did not hear live.
  // With nothing to anchor on, it asks from now: little or nothing to replay, but the reload still
  // waits for the answer, and so reads after this connection joined its rooms.
  const catchUp = () => {
    const newest = h.newest();
    const anchor = newest ? { id: newest.id, createdAt: newest.createdAt } : { createdAt: new Date().toISOString() };
    socket.timeout(15_000).emit('feed:since', anchor, (err: Error | null, r?: { ok: boolean; hasMore?: boolean }) => {
      h.resync(!newest || Boolean(err || !r || !r.ok || r.hasMore));
    });
  };

  h.status('connecting');
  socket.on('connect', () => {
    manualAttempts = 0;
    h.status('online');
    catchUp();
  });
  socket.on('disconnect', (reason) => {
    if (stopped) return;
    h.status('offline');
    // The server cut us without saying why (revocation says so first): try again ourselves.
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (err: Error) => {
    if (stopped) return;
    if (err.message === 'unauthorized') return stop('unauthorized');
    h.status('offline');
    if (!socket.active) retryLater();
  });
  socket.on('kudos:created', (k) => h.created(k));
  socket.on('kudos:updated', (u) => h.updated(u));
  socket.on('kudos:removed', (r) => h.removed(r.id));
  socket.on('display:revoked', () => stop('revoked'));
  socket.on('session:ended', () => stop('session_ended'));

  return {
    close() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket.disconnect();
    },
  };
}
