import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { Logger } from '../logger.js';
import { applyEach, isLiveOrder, OrderBatcher, type LiveBus, type LiveOrder } from './live-orders.js';

/** What `createClient()` returns: RESP3, no modules, scripts or functions. */
export type RedisClient = RedisClientType<{}, {}, {}, 3, {}>;

export interface RedisBusOptions {
  /** The stream the deployment's processes share. */
  stream: string;
  /** Entries kept (approximately): a process cut off from Redis for longer than this many batches misses some. */
  maxLen?: number;
  /** How long one XREAD waits for entries; under the client's 5 s command timeout. */
  blockMs?: number;
  /** Told of every entry written or read from another process, and of every failure (metrics). */
  monitor?: BusMonitor;
}

export interface BusMonitor {
  entry(direction: 'sent' | 'received'): void;
  failed(op: 'send' | 'read'): void;
}

const RETRY_MS = 250;

/**
 * Live orders shared by every process through one Redis stream.
 *
 * The orders sent in one event-loop turn (a group commit settles tens of posts together) apply in
 * the sending process at the end of the turn, without waiting for Redis, and go out as one
 * stream entry: one XADD and, in each other process, one entry to read and parse, instead of one
 * per event. The socket.io Redis adapter wrote a stream entry per emit, delivered even to the
 * sending process's own clients only once Redis had answered, and had every process decode every
 * entry, its own included; here a process skips its own entries by their origin field.
 *
 * Each process reads the stream from the last entry it has seen, never from "now": after a
 * dropped connection or a short Redis outage it resumes where it stopped and misses nothing the
 * stream still holds. One stream keeps every process's orders in one order, so a "cut this
 * user" sent before a kudos reaches every process before that kudos.
 */
export class RedisLiveBus implements LiveBus {
  private readonly origin = randomUUID();
  private readonly batcher = new OrderBatcher((orders) => this.deliver(orders));
  private sharing: Promise<void> = Promise.resolve();
  private lastId: string;
  private closed = false;
  private readonly loopDone: Promise<void>;
  private readonly maxLen: number;
  private readonly blockMs: number;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly apply: (order: LiveOrder) => void,
    private readonly log: Logger,
    private readonly opts: RedisBusOptions,
    startAfter: string,
  ) {
    this.maxLen = opts.maxLen ?? 10_000;
    this.blockMs = opts.blockMs ?? 2_000;
    this.lastId = startAfter;
    this.loopDone = this.readLoop();
  }

  /**
   * `pub` is a connected client this bus shares (it only sends XADDs on it); the bus opens its own
   * connection for the blocking reads.
   */
  static async start(pub: RedisClient, apply: (order: LiveOrder) => void, log: Logger, opts: RedisBusOptions): Promise<RedisLiveBus> {
    const sub = pub.duplicate();
    sub.on('error', (err: unknown) => log.warn({ err }, 'redis (live bus reader) error'));
    await sub.connect();
    // From the newest entry now, not "$": "$" re-read at each XREAD would skip what arrived between two reads.
    const newest = await pub.xRevRange(opts.stream, '+', '-', { COUNT: 1 });
    return new RedisLiveBus(pub, sub, apply, log, opts, newest?.[0]?.id ?? '0-0');
  }

  send(order: LiveOrder): void {
    this.batcher.add(order);
  }

  private deliver(orders: LiveOrder[]): void {
    applyEach(this.apply, orders, this.log);
    this.sharing = this.share(orders);
  }

  private async share(orders: LiveOrder[]): Promise<void> {
    try {
      await this.pub.xAdd(this.opts.stream, '*', { o: this.origin, e: JSON.stringify(orders) }, {
        TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.maxLen },
      });
      this.opts.monitor?.entry('sent');
    } catch (err) {
      this.opts.monitor?.failed('send');
      // Applied here already. Other processes' clients miss it live; the feed, and feed:since
      // after their next reconnect, still have it (node-redis queues commands while Redis is away,
      // so this is Redis refusing the write, not an outage).
      this.log.warn({ err, orders: orders.length }, 'live orders not shared with other processes');
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        const reply = await this.sub.xRead({ key: this.opts.stream, id: this.lastId }, { BLOCK: this.blockMs, COUNT: 100 });
        for (const entry of entriesOf(reply)) {
          this.lastId = entry.id;
          if (entry.message.o === this.origin) continue;
          this.opts.monitor?.entry('received');
          this.receive(entry.message.e);
        }
      } catch (err) {
        if (this.closed) break;
        this.opts.monitor?.failed('read');
        this.log.warn({ err }, 'reading live orders from Redis failed; retrying');
        await new Promise((ok) => setTimeout(ok, RETRY_MS));
      }
    }
  }

  private receive(raw: string | undefined): void {
    let orders: unknown;
    try {
      orders = JSON.parse(raw ?? '');
    } catch {
      orders = null;
    }
    if (!Array.isArray(orders)) {
      this.log.warn({ stream: this.opts.stream }, 'ignored a malformed live entry');
      return;
    }
    const known = orders.filter(isLiveOrder);
    if (known.length < orders.length) this.log.warn({ stream: this.opts.stream, ignored: orders.length - known.length }, 'ignored unknown live orders');
    applyEach(this.apply, known, this.log);
  }

  /** Shares what is pending, stops reading and closes the reader's connection (not `pub`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.batcher.flush();
    await this.sharing;
    this.closed = true;
    // Ends the blocked XREAD at once.
    this.sub.destroy();
    await this.loopDone;
  }
}

interface Entry {
  id: string;
  message: Record<string, string | undefined>;
}

/** node-redis answers XREAD with [{ name, messages: [{ id, message }] }], or null on timeout. */
function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply)) return [];
  const stream = reply[0] as { messages?: Entry[] } | undefined;
  return stream?.messages ?? [];
}
