import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import { applyOrder, type LiveBus } from './live-orders.js';
import type { LiveServer } from './live-server.js';
import { RedisLiveBus, type BusMonitor } from './redis-bus.js';

export interface RedisOptions {
  url: string;
  /**
   * One deployment's name: the live bus's stream is `<stream>#live` and the adapter's Pub/Sub
   * channels start with it, so two deployments (or two test runs) on one Redis never see each other's events.
   */
  stream: string;
}

/**
 * Several Shine processes share one Redis:
 * - the live bus (`<stream>#live`) carries every live event and every "cut this connection"
 *   order, batched per event-loop turn (redis-bus.ts); it reads the stream from where it stopped,
 *   so a short Redis outage loses no events (Pub/Sub would);
 * - socket.io's Redis Streams adapter answers fetchSockets (which displays are connected) across
 *   the processes. Those requests are ephemeral, so the adapter sends them over Pub/Sub, and Shine
 *   emits only to local sockets (live-orders.ts): the adapter's own stream `<stream>` stays unused.
 */
export async function attachRedis(io: LiveServer, opts: RedisOptions, log: Logger, monitor?: BusMonitor): Promise<{ bus: LiveBus; close(): Promise<void> }> {
  const client = createClient({ url: opts.url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) } });
  client.on('error', (err: unknown) => log.warn({ err }, 'redis error'));
  await client.connect();
  io.adapter(createAdapter(client, { streamName: opts.stream, channelPrefix: opts.stream }));
  // '#' is not allowed in SHINE_REDIS_STREAM, so no deployment's own stream can be this one.
  const bus = await RedisLiveBus.start(client, (order) => applyOrder(io, order), log, { stream: `${opts.stream}#live`, monitor });
  log.info({ stream: opts.stream }, 'live events shared over Redis Streams');
  return {
    bus,
    async close() {
      await bus.close();
      await client.quit().catch(() => client.destroy());
    },
  };
}
