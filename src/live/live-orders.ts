import type { ServerToClientEvents } from './events.js';
import type { LiveServer } from './live-server.js';

type EventName = keyof ServerToClientEvents;

/**
 * What every process does about one committed change: emit an event to rooms, or tell a room's
 * sockets why and cut them. Plain JSON, so it can travel between processes (redis-bus.ts).
 */
export type LiveOrder =
  | { kind: 'emit'; rooms: string[]; event: EventName; args: unknown[] }
  | { kind: 'cut'; room: string; event: EventName; args: unknown[] };

/** How orders reach every process's sockets: this process alone, or all of them over Redis. */
export interface LiveBus {
  /** Applies the order here at once and, on a shared bus, in every other process soon after. */
  send(order: LiveOrder): void;
  close(): Promise<void>;
}

const EVENTS: ReadonlySet<string> = new Set<EventName>(['kudos:created', 'kudos:updated', 'kudos:removed', 'display:revoked', 'session:ended']);
const isRoom = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/** Whether a value read back from another process is an order this version knows how to apply. */
export function isLiveOrder(x: unknown): x is LiveOrder {
  const o = x as Partial<Record<string, unknown>> | null;
  if (typeof o !== 'object' || o === null || !EVENTS.has(o.event as string) || !Array.isArray(o.args)) return false;
  if (o.kind === 'emit') return Array.isArray(o.rooms) && o.rooms.every(isRoom);
  return o.kind === 'cut' && isRoom(o.room);
}

/**
 * Applies an order to this process's sockets only. An emit to rooms where nobody here listens is
 * skipped, because socket.io would encode the packet first; with several processes, a private
 * kudos's rooms are empty on most of them.
 */
export function applyOrder(io: LiveServer, order: LiveOrder): void {
  const emit = (target: ReturnType<LiveServer['to']>) =>
    (target.emit as (event: string, ...args: unknown[]) => boolean)(order.event, ...order.args);
  const rooms = io.of('/').adapter.rooms;
  if (order.kind === 'emit') {
    if (order.rooms.some((r) => rooms.has(r))) emit(io.local.to(order.rooms));
    return;
  }
  if (!rooms.has(order.room)) return;
  emit(io.local.to(order.room));
  io.local.in(order.room).disconnectSockets(true);
}

/** One process, no Redis: orders apply here and nowhere else. */
export function localBus(io: LiveServer): LiveBus {
  return {
    send: (order) => applyOrder(io, order),
    close: async () => {},
  };
}
