import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, buildUser } from '../support/api.js';
import { dropRedisStreams, pingRedis, sleep, startShineProcess, type ShineProcess } from '../support/process.js';
import { LiveClient } from './live-client.js';

const REDIS_HOST = '127.0.0.1';
const REDIS_PORT = Number(new URL(process.env.SHINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379);

/**
 * A TCP relay to the real Redis that the test can cut and restore: an outage for these two
 * processes alone, leaving the machine's Redis (and every other test) alone.
 */
class RedisRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(REDIS_PORT, REDIS_HOST);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(this.port, REDIS_HOST, () => ok());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Drops every connection and refuses new ones, as a Redis that went away would. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((ok) => server.close(() => ok()));
  }
}

describe('two Shine processes ride out a Redis outage', function () {
  this.timeout(60_000);
  const stream = `shine-test-outage-${process.pid}-${Date.now()}`;
  const relay = new RedisRelay();
  const clients: LiveClient[] = [];
  let dataDir = '';
  let a: ShineProcess | null = null;
  let b: ShineProcess | null = null;

  before(async function () {
    const reason = await pingRedis(`redis://${REDIS_HOST}:${REDIS_PORT}`);
    if (reason) {
      console.log(`\n!!! redis: SKIPPED (${reason})\n`);
      this.skip();
    }
    await relay.up();
    dataDir = mkdtempSync(join(tmpdir(), 'shine-outage-'));
    const env = { SHINE_REDIS_URL: `redis://${REDIS_HOST}:${relay.port}`, SHINE_REDIS_STREAM: stream };
    a = await startShineProcess({ dataDir, env, name: 'A' });
    b = await startShineProcess({ dataDir, env, name: 'B' });
  });

  after(async function () {
    for (const c of clients) c.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await relay.down();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await dropRedisStreams(`redis://${REDIS_HOST}:${REDIS_PORT}`, stream);
  });

  it('delivers at once on the posting process, and everywhere else once Redis is back, nothing lost', async function () {
    const A = a as ShineProcess;
    const B = b as ShineProcess;
    const admin = await new Api(A.url).loginAdmin();
    const giver = await buildUser(admin, { team: 'Support' });
    const recipient = await buildUser(admin, { team: 'Support' });
    const key = (await admin.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours')).body.find((x) => x.active)?.key;
    const tv = (await admin.post<{ token: string }>('/api/v1/displays', { name: 'Outage wall' })).body;
    const open = async (p: ShineProcess, label: string) => {
      const c = await LiveClient.open(p.url, tv.token, label);
      clients.push(c);
      return c;
    };
    const onA = await open(A, 'display@A');
    const onB = await open(B, 'display@B');
    const post = async (p: ShineProcess, message: string) => {
      const res = await new Api(p.url, giver.api.token).post<{ id: string }>('/api/v1/kudos', { recipientIds: [recipient.user.id], behaviourKeys: [key], message });
      expect(res.status, res.text).to.equal(201);
      return res.body.id;
    };

    const before = await post(A, 'before the outage');
    await onB.waitForKudos((k) => k.id === before);

    await relay.down();
    const fromA = await post(A, 'posted to A while Redis is away');
    const fromB = await post(B, 'posted to B while Redis is away');
    // Each process's own screen has its kudos at once; the other process's cannot yet.
    await onA.waitForKudos((k) => k.id === fromA, 1_000);
    await onB.waitForKudos((k) => k.id === fromB, 1_000);
    await sleep(500);
    expect(onB.kudos.map((k) => k.id), 'B during the outage').to.not.include(fromA);
    expect(onA.kudos.map((k) => k.id), 'A during the outage').to.not.include(fromB);

    await relay.up();
    await onB.waitForKudos((k) => k.id === fromA, 15_000);
    await onA.waitForKudos((k) => k.id === fromB, 15_000);
    const after = await post(B, 'after the outage');
    await onA.waitForKudos((k) => k.id === after, 5_000);
    await sleep(300);
    for (const screen of [onA, onB]) {
      const ids = screen.kudos.map((k) => k.id);
      expect(new Set(ids).size, `${screen.label}: each kudos once`).to.equal(ids.length);
      expect(ids, screen.label).to.have.members([before, fromA, fromB, after]);
    }
    expect(onA.disconnected, 'screens stay connected through the outage').to.equal(null);
    expect(onB.disconnected).to.equal(null);
  });
});
