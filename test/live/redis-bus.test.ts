import { expect } from 'chai';
import { createClient } from 'redis';
import type { LiveOrder } from '../../src/live/live-orders.js';
import { RedisLiveBus, type RedisClient } from '../../src/live/redis-bus.js';
import { createLogger } from '../../src/logger.js';
import { pingRedis, sleep } from '../support/process.js';
import { until } from '../support/until.js';

const REDIS_URL = process.env.SHINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger({ level: 'silent', pretty: false });

const kudosOrder = (n: number): LiveOrder => ({ kind: 'emit', rooms: ['feed:all'], event: 'kudos:created', args: [{ id: `k${n}` }] });
const idsOf = (orders: LiveOrder[]) => orders.map((o) => (o.args[0] as { id: string }).id);

/** The live bus between processes, here two buses in one process on a real Redis. */
describe('live bus over Redis Streams', function () {
  this.timeout(20_000);
  const stream = `shine-test-bus-${process.pid}-${Date.now()}`;
  const clients: RedisClient[] = [];
  const buses: RedisLiveBus[] = [];
  let admin: RedisClient;

  async function connect(): Promise<RedisClient> {
    const c: RedisClient = createClient({ url: REDIS_URL });
    c.on('error', () => {});
    await c.connect();
    clients.push(c);
    return c;
  }

  async function bus(applied: LiveOrder[], counts: Record<string, number> = {}): Promise<RedisLiveBus> {
    const monitor = {
      entry: (direction: string) => void (counts[direction] = (counts[direction] ?? 0) + 1),
      failed: (op: string) => void (counts[`${op} failed`] = (counts[`${op} failed`] ?? 0) + 1),
    };
    const b = await RedisLiveBus.start(await connect(), (o) => applied.push(o), log, { stream, blockMs: 500, monitor });
    buses.push(b);
    return b;
  }

  before(async function () {
    const reason = await pingRedis(REDIS_URL);
    if (reason) {
      console.log(`\n!!! redis: SKIPPED (${reason})\n`);
      this.skip();
    }
    admin = await connect();
  });
  afterEach(async () => {
    while (buses.length) await buses.pop()?.close();
    while (clients.length) await clients.pop()?.quit();
    admin = await connect();
    await admin.del(stream);
  });
  after(async () => {
    while (clients.length) await clients.pop()?.quit();
  });

  it('applies the orders of a turn where sent at its end, and in every other process once, in order, as one stream entry', async () => {
    const atA: LiveOrder[] = [];
    const atB: LiveOrder[] = [];
    const countsA: Record<string, number> = {};
    const countsB: Record<string, number> = {};
    const a = await bus(atA, countsA);
    await bus(atB, countsB);
    for (let n = 0; n < 50; n++) a.send(kudosOrder(n));
    // Applied where they were sent at the end of the turn (after its HTTP answers), without
    // waiting for Redis.
    expect(atA).to.have.length(0);
    await new Promise((ok) => setImmediate(ok));
    expect(idsOf(atA)).to.have.length(50);
    expect(atB).to.have.length(0);
    await until(() => atB.length === 50, 3_000, 'B to apply 50 orders');
    expect(idsOf(atB)).to.deep.equal(Array.from({ length: 50 }, (_, n) => `k${n}`));
    expect(await admin.xLen(stream)).to.equal(1);
    a.send(kudosOrder(50));
    await until(() => atB.length === 51, 3_000, 'the next turn');
    await sleep(600);
    // A never applies its own entries a second time from the stream.
    expect(idsOf(atA)).to.deep.equal(Array.from({ length: 51 }, (_, n) => `k${n}`));
    expect(await admin.xLen(stream)).to.equal(2);
    expect(countsA, 'A wrote two entries and read none of its own').to.deep.equal({ sent: 2 });
    expect(countsB).to.deep.equal({ received: 2 });
  });

  it('counts failed writes and reads, and carries on once the stream is usable again', async () => {
    const atB: LiveOrder[] = [];
    const countsA: Record<string, number> = {};
    const countsB: Record<string, number> = {};
    const a = await bus([], countsA);
    await bus(atB, countsB);
    // The key taken by a value of another type: XADD and XREAD both fail (WRONGTYPE).
    await admin.set(stream, 'not a stream');
    a.send(kudosOrder(1));
    await until(() => (countsA['send failed'] ?? 0) === 1 && (countsB['read failed'] ?? 0) >= 1, 3_000, 'both failures');
    await admin.del(stream);
    a.send(kudosOrder(2));
    await until(() => atB.length === 1, 5_000, 'the order sent after recovery');
    expect(idsOf(atB)).to.deep.equal(['k2']);
    expect(countsA.sent).to.equal(1);
  });

  it('keeps every process in the order the stream got the entries, whoever sent them', async () => {
    const atA: LiveOrder[] = [];
    const atB: LiveOrder[] = [];
    const atC: LiveOrder[] = [];
    const a = await bus(atA);
    const b = await bus(atB);
    await bus(atC);
    a.send({ kind: 'cut', room: 'user:u1', event: 'session:ended', args: [{ reason: 'credentials_changed' }] });
    await until(() => atB.length === 1, 3_000, 'the cut at B');
    b.send(kudosOrder(1));
    await until(() => atC.length === 2 && atA.length === 2, 3_000, 'both orders at C and A');
    expect(atC.map((o) => o.kind)).to.deep.equal(['cut', 'emit']);
  });

  it('resumes after its connection drops and misses nothing sent meanwhile', async () => {
    const atB: LiveOrder[] = [];
    const a = await bus([]);
    await bus(atB);
    a.send(kudosOrder(0));
    await until(() => atB.length === 1, 3_000, 'the first order');
    // Cut B's blocked reader; A sends while B reconnects.
    const readers = (await admin.clientList()).filter((c) => c.cmd === 'xread');
    expect(readers.length).to.be.greaterThan(0);
    for (const r of readers) await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(r.id)]);
    for (let n = 1; n <= 20; n++) {
      a.send(kudosOrder(n));
      await sleep(5);
    }
    await until(() => atB.length === 21, 8_000, 'B to catch up after reconnecting');
    expect(idsOf(atB)).to.deep.equal(Array.from({ length: 21 }, (_, n) => `k${n}`));
  });

  it('skips malformed and unknown entries and goes on', async () => {
    const atB: LiveOrder[] = [];
    const a = await bus([]);
    await bus(atB);
    await admin.xAdd(stream, '*', { o: 'someone-else', e: '{not json' });
    await admin.xAdd(stream, '*', { o: 'someone-else', e: JSON.stringify([{ kind: 'emit', rooms: ['feed:all'], event: 'evil:event', args: [] }, kudosOrder(7)]) });
    await admin.xAdd(stream, '*', { o: 'someone-else' });
    a.send(kudosOrder(8));
    await until(() => atB.length === 2, 3_000, 'the good orders');
    expect(idsOf(atB)).to.deep.equal(['k7', 'k8']);
  });
});
