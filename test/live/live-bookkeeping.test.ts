import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { Api, buildUser } from '../support/api.js';
import { connectLive, dropTransport } from '../support/live-client.js';
import { PROJECT_ROOT } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/until.js';

const run = promisify(execFile);
const CYCLES = 40;
const DROPS = 40;

/**
 * A TV wall reconnects thousands of times over the weeks it runs (bench/soak.ts). Whatever the
 * server keeps per connection (sockets, rooms, the cuts room joined before admission, the live
 * connections gauge) must go with it, whichever way the connection ends.
 */
describe('live: per-connection bookkeeping after many connections', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  const gauge = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return [...text.matchAll(/^shine_live_connections\{kind="\w+"\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };

  it('returns to no sockets, no rooms and a zero gauge after connections of every kind come and go', async () => {
    const admin = await new Api(server.url).loginAdmin();
    const ana = await buildUser(admin, { team: 'Support' });
    const hr = await buildUser(admin, { team: 'People', role: 'hr' });
    const display = (await admin.post<{ token: string }>('/api/v1/displays', { name: 'Bookkeeping TV', team: 'Support' })).body.token;
    const nsp = server.io.of('/');
    expect(nsp.sockets.size).to.equal(0);
    expect(nsp.adapter.rooms.size).to.equal(0);

    for (let i = 0; i < CYCLES; i++) {
      const clients = await Promise.all([connectLive(server.url, ana.api.token as string), connectLive(server.url, hr.api.token as string), connectLive(server.url, display)]);
      const [user, privileged, wall] = clients;
      // Narrowed to a team and back, asked to catch up: every room a connection can be in.
      await user?.socket.timeout(5000).emitWithAck('feed:subscribe', { team: i % 2 ? 'Support' : null });
      await privileged?.socket.timeout(5000).emitWithAck('feed:subscribe', { team: 'Support' });
      for (const c of clients) await c.socket.timeout(5000).emitWithAck('feed:since', { createdAt: new Date().toISOString() });
      if (i % 10 === 0) {
        const posted = await ana.api.post('/api/v1/kudos', { recipientIds: [hr.user.id], behaviourKeys: ['empathize'], message: `Cycle ${i}` });
        expect(posted.status, posted.text).to.equal(201);
        await wall?.waitForCreated(1);
      }
      // Most leave by themselves; some are cut by the server, as a logout or a restart would.
      if (i % 4 === 3) {
        nsp.disconnectSockets(true);
        await until(() => clients.every((c) => !c.socket.connected), 5000, 'the server to cut every client');
      }
      for (const c of clients) c.close();
    }

    await until(() => nsp.sockets.size === 0, 5000, () => `no sockets (${nsp.sockets.size} left)`);
    expect([...nsp.adapter.rooms.keys()]).to.deep.equal([]);
    expect(await gauge()).to.equal(0);
  });

  // Node keeps a timer list per distinct delay, and a cleared unref'd timer's empty list stays
  // until its delay would have run out: a wait "until this token expires" (a new length to the
  // millisecond per connection) left one behind per user connection for up to JWT_TTL.
  it('keeps no timer list per user connection lost to a network drop, for its token expiry', async () => {
    // Counted in a process of its own (timer-lists.probe.ts): heap snapshots of this one are slow.
    const probe = fileURLToPath(new URL('./timer-lists.probe.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', probe, String(DROPS)], { cwd: PROJECT_ROOT, timeout: 110_000 });
    const { before, after, sockets } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { before: number; after: number; sockets: number };
    expect(sockets).to.equal(0);
    // A few lists of other delays (the probe's own polling, socket.io's) may come and go.
    expect(after - before, `timer lists ${before} → ${after} after ${DROPS} drops`).to.be.below(5);
  }).timeout(120_000);
});
