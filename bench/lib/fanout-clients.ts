/**
 * Forked by bench/http.ts: holds a share of the 1,000 socket.io clients, stamps every broadcast
 * it receives with a wall-clock time comparable across processes, and reports over IPC.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { seqOf, wallClock } from './fanout-payload.js';

export type ClientsIn =
  | { type: 'connect'; urls: string[]; tokens: string[]; count: number }
  | { type: 'collect' }
  | { type: 'close' };

export type ClientsOut =
  | { type: 'connected'; ok: number; failed: number; error: string | null }
  | { type: 'done'; seq: number }
  | { type: 'samples'; seqs: number[]; ats: number[]; disconnects: number };

const BATCH = 50;
const sockets: Socket[] = [];
const counts = new Map<number, number>();
let seqs: number[] = [];
let ats: number[] = [];
let disconnects = 0;

const send = (m: ClientsOut) => process.send?.(m);

function onKudos(k: { message?: unknown }): void {
  const at = wallClock();
  const seq = seqOf(k.message);
  if (seq === null) return;
  seqs.push(seq);
  ats.push(at);
  const n = (counts.get(seq) ?? 0) + 1;
  counts.set(seq, n);
  if (n === sockets.length) send({ type: 'done', seq });
}

function open(url: string, token: string): Promise<Socket> {
  const socket = connect(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: 20_000 });
  return new Promise((ok, fail) => {
    socket.once('connect', () => {
      socket.on('kudos:created', onKudos);
      socket.on('disconnect', () => disconnects++);
      ok(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      fail(err);
    });
  });
}

async function connectAll(m: Extract<ClientsIn, { type: 'connect' }>): Promise<void> {
  let failed = 0;
  let error: string | null = null;
  for (let i = 0; i < m.count; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, m.count - i) }, (_, j) =>
      open(m.urls[(i + j) % m.urls.length] as string, m.tokens[(i + j) % m.tokens.length] as string),
    );
    for (const r of await Promise.allSettled(batch)) {
      if (r.status === 'fulfilled') sockets.push(r.value);
      else {
        failed++;
        error ??= r.reason instanceof Error ? r.reason.message : String(r.reason);
      }
    }
  }
  send({ type: 'connected', ok: sockets.length, failed, error });
}

process.on('message', (m: ClientsIn) => {
  if (m.type === 'connect') void connectAll(m);
  if (m.type === 'collect') {
    send({ type: 'samples', seqs, ats, disconnects });
    seqs = [];
    ats = [];
    counts.clear();
  }
  if (m.type === 'close') {
    for (const s of sockets) s.close();
    process.exit(0);
  }
});
process.on('SIGTERM', () => process.exit(0));
