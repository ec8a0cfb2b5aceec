import type { Logger } from '../logger.js';
import type { ServerToClientEvents } from './events.js';
import type { LiveServer } from './live-server.js';
import { cutsRoom } from './rooms.js';

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
  /**
   * Applies the order here and, on a shared bus, in every other process, in the order sent. Not
   * at once: at the end of the event-loop turn (OrderBatcher).
   */
  send(order: LiveOrder): void;
}

/**
 * Gathers the orders sent during one event-loop turn and hands them over together once the turn
 * is over. By then the HTTP answers of that turn are written: a post is answered before its
 * kudos is written to a thousand sockets, not after (a group commit settles tens of posts in
 * one turn, and each would otherwise wait for all the broadcasts before it).
 */
export class OrderBatcher {
  private pending: LiveOrder[] = [];

  constructor(private readonly deliver: (orders: LiveOrder[]) => void) {}

  add(order: LiveOrder): void {
    this.pending.push(order);
    if (this.pending.length === 1) setImmediate(() => this.flush());
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const orders = this.pending;
    this.pending = [];
    this.deliver(orders);
  }
}

const EVENTS: ReadonlySet<string> = new Set<EventName>(['kudos:created', 'kudos:updated', 'kudos:removed', 'display:revoked', 'display:changed', 'session:ended']);
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
  // A cut also reaches the connections that hear it in its cuts room (being checked, or narrowed).
  const targets = [order.room, cutsRoom(order.room)].filter((r) => rooms.has(r));
  if (targets.length === 0) return;
  emit(io.local.to(targets));
  io.local.in(targets).disconnectSockets(true);
}

/**
 * Applies each order, logging one that fails and going on with the rest: orders apply outside the
 * request that caused them (OrderBatcher), where a throw would end the process.
 */
export function applyEach(apply: (order: LiveOrder) => void, orders: Iterable<LiveOrder>, log: Logger): void {
  for (const order of orders) {
    try {
      apply(order);
    } catch (err) {
      log.error({ err, event: order.event }, 'applying a live order failed');
    }
  }
}

/** One process, no Redis: orders apply here and nowhere else. */
export function localBus(io: LiveServer, log: Logger): LiveBus {
  const batcher = new OrderBatcher((orders) => applyEach((order) => applyOrder(io, order), orders, log));
  return { send: (order) => batcher.add(order) };
}
