import { io, type Socket } from 'socket.io-client';

/**
 * How a connection ends: its TCP socket destroyed (the server sees it close), a clean socket.io
 * leave, or silence (blackhole-proxy.ts: only the server's ping timeout ends it).
 */
export type Ending = 'drop' | 'clean' | 'silent';

/** What a client does before it ends, in turn; every path the live layer has for a connection. */
const SCRIPTS = [
  'admission', // ends while the server is still re-reading its credential
  'team', // narrowed to a team, caught up
  'all', // subscribed to every team, caught up from a kudos id
  'replaying', // ends while its catch-up is being written to it
  'history', // no subscribe, catches up from a while ago (a replay of many kudos)
] as const;

interface Underlying {
  io: { engine: { transport: { ws?: { _socket?: { destroy(): void } } } } };
}

/** Destroys the TCP connection under a socket.io client: the server sees a network drop, no leave packet. */
export function dropTransport(socket: Socket): void {
  const tcp = (socket as unknown as Underlying).io.engine.transport.ws?._socket;
  if (!tcp) throw new Error('no websocket under this client');
  tcp.destroy();
}

/** The pages try a WebSocket first and fall back to HTTP long-polling (src/web/lib/live.ts). */
export type Transport = 'websocket' | 'polling';

function connect(url: string, token: string, transport: Transport): Promise<Socket> {
  const socket = io(url, { auth: { token }, transports: [transport], reconnection: false, forceNew: true });
  return new Promise((ok, fail) => {
    socket.once('connect', () => ok(socket));
    socket.once('connect_error', fail);
  });
}

export interface Round {
  url: string;
  tokens: string[];
  /** A kudos id the clients may anchor `feed:since` at, and a time a while ago. */
  anchorId: string;
  since: string;
  width: number;
  /** Numbers the clients across rounds, so tokens and scripts rotate. */
  first: number;
  ending: Ending;
  /** 'polling' only with the 'clean' and 'silent' endings: a poll has no one connection to destroy. */
  transport: Transport;
  /** Runs while every client of the round is connected (posts kudos: packets in flight at the drop). */
  meanwhile: () => Promise<void>;
  /** For 'silent': makes every connection go quiet at once (each client's own ending does nothing). */
  silence?: () => void;
}

/** `width` clients connect, each follows its script, `meanwhile` runs, and all of them end at once. */
export async function runRound(r: Round): Promise<void> {
  const clients = await Promise.all(Array.from({ length: r.width }, async (_, i) => {
    const n = r.first + i;
    const socket = await connect(r.url, r.tokens[n % r.tokens.length] as string, r.transport);
    const script = SCRIPTS[n % SCRIPTS.length];
    const ask = (event: string, arg: unknown) => socket.timeout(10_000).emitWithAck(event, arg).catch(() => undefined);
    const end = () => {
      if (r.ending === 'drop') dropTransport(socket);
      else if (r.ending === 'clean') socket.close();
    };
    if (script === 'admission') return void end();
    if (script === 'team') {
      await ask('feed:subscribe', { team: 'Support' });
      await ask('feed:since', { createdAt: new Date().toISOString() });
    } else if (script === 'all') {
      await ask('feed:subscribe', n % 2 ? {} : { team: null });
      await ask('feed:since', { id: r.anchorId });
    } else if (script === 'replaying') {
      void ask('feed:since', { createdAt: r.since });
      // A moment later: the server has begun reading the replay.
      await new Promise((ok) => setTimeout(ok, n % 3));
      return void end();
    } else if (script === 'history') {
      await ask('feed:since', { createdAt: r.since });
    }
    return end;
  }));
  await r.meanwhile();
  for (const end of clients) end?.();
  r.silence?.();
}
