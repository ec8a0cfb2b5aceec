import { io, type Socket } from 'socket.io-client';

export interface Received {
  created: { id: string; message: string; visibility: string }[];
  updated: { id: string; reactions: Record<string, number>; commentCount: number }[];
  removed: { id: string }[];
  /** How the server ended the connection: `session:ended` payloads, `'display:revoked'` and `'display:changed'`. */
  ended: unknown[];
}

export interface LiveClient {
  socket: Socket;
  got: Received;
  /** Resolves when `n` kudos:created events have arrived in total (or rejects after ms). */
  waitForCreated(n: number, ms?: number): Promise<void>;
  waitFor(predicate: () => boolean, ms?: number, what?: string): Promise<void>;
  close(): void;
}

/** A real socket.io-client over websocket, recording what it receives. */
export async function connectLive(url: string, token: string, opts: { reconnection?: boolean } = {}): Promise<LiveClient> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: opts.reconnection ?? false, forceNew: true });
  const got: Received = { created: [], updated: [], removed: [], ended: [] };
  socket.on('kudos:created', (k) => got.created.push(k));
  socket.on('kudos:updated', (u) => got.updated.push(u));
  socket.on('kudos:removed', (r) => got.removed.push(r));
  socket.on('session:ended', (r) => got.ended.push(r));
  socket.on('display:revoked', () => got.ended.push('display:revoked'));
  socket.on('display:changed', () => got.ended.push('display:changed'));
  await new Promise<void>((ok, fail) => {
    socket.once('connect', () => ok());
    socket.once('connect_error', (err) => fail(err));
  });
  const waitFor = (predicate: () => boolean, ms = 3000, what = 'condition') =>
    new Promise<void>((ok, fail) => {
      const started = Date.now();
      const tick = () => {
        if (predicate()) return ok();
        if (Date.now() - started > ms) return fail(new Error(`timed out after ${ms} ms waiting for ${what}`));
        setTimeout(tick, 10);
      };
      tick();
    });
  return {
    socket,
    got,
    waitFor,
    waitForCreated: (n, ms) => waitFor(() => got.created.length >= n, ms, `${n} kudos:created events`),
    close: () => socket.close(),
  };
}

/** Connection attempt expected to fail; resolves with the connect_error message. */
export function connectError(url: string, token: string): Promise<string> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((ok, fail) => {
    socket.once('connect', () => {
      socket.close();
      fail(new Error('connected, but should have been refused'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      ok(err.message);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Destroys the TCP connection under a client, as a network drop does: the server sees the
 * connection go without a socket.io leave packet or a WebSocket close frame.
 */
export function dropTransport(socket: Socket): void {
  const engine = (socket as unknown as { io: { engine: { transport: { ws?: { _socket?: { destroy(): void } } } } } }).io.engine;
  const tcp = engine.transport.ws?._socket;
  if (!tcp) throw new Error('no websocket under this client');
  tcp.destroy();
}
