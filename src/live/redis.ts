import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import type { LiveServer } from './live-server.js';

export interface RedisOptions {
  url: string;
  /**
   * One deployment's stream name; also prefixes the adapter's channels and session keys, so two
   * deployments (or two test runs) on one Redis never see each other's events.
   */
  stream: string;
}

/**
 * Several Shine processes share live events over Redis Streams: room emits, disconnects and
 * fetchSockets reach every process, and a short Redis outage loses no packets (unlike Pub/Sub).
 */
export async function attachRedis(io: LiveServer, opts: RedisOptions, log: Logger): Promise<{ close(): Promise<void> }> {
  const client = createClient({ url: opts.url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) } });
  client.on('error', (err: unknown) => log.warn({ err }, 'redis error'));
  await client.connect();
  io.adapter(createAdapter(client, { streamName: opts.stream, channelPrefix: opts.stream }));
  log.info({ stream: opts.stream }, 'live events shared over Redis Streams');
  return {
    async close() {
      await client.quit().catch(() => client.destroy());
    },
  };
}
