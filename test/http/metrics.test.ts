import { expect } from 'chai';
import { networkInterfaces } from 'node:os';
import { Api, buildUser } from '../support/api.js';
import { connectLive } from '../support/live-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { availableStores } from '../support/stores.js';

/** The value of one sample, e.g. value(text, 'shine_live_connections{kind="user"}'); null when absent. */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

const durationCount = (text: string, method: string, route: string, status: number) =>
  value(text, `shine_http_request_duration_seconds_count{method="${method}",route="${route}",status="${status}"}`);

function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

async function waitForMetric(read: () => Promise<number | null>, expected: number): Promise<void> {
  const started = Date.now();
  let last: number | null = null;
  while (Date.now() - started < 3000) {
    last = await read();
    if (last === expected) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(last, 'metric value').to.equal(expected);
}

describe('metrics', function () {
  this.timeout(30_000);

  describe('on the main port, loopback only (no token, no port configured)', () => {
    let server: TestServer;
    let admin: Api;
    const scrape = async () => {
      const res = await new Api(server.url).get('/metrics');
      expect(res.status).to.equal(200);
      return res.text;
    };

    let dispose: (() => Promise<void>) | null = null;

    // Bound to every interface so a non-loopback address can be tried too. The store is built
    // here, not by the server: mocha loads tests as CommonJS, and the server's dynamic import()
    // of the adapter would load a second copy of the error classes, which the error handler's
    // instanceof checks do not recognise (a closed store would then answer 500, not 503).
    before(async () => {
      const made = await availableStores()[0]!.make();
      dispose = made.dispose;
      server = await startTestServer({ store: made.store, env: { HOST: '0.0.0.0' } });
      admin = await new Api(server.url).loginAdmin();
    });
    after(async () => {
      await server?.close();
      await dispose?.();
    });

    it('serves the Prometheus text format, with event-loop lag from the default collectors', async () => {
      const res = await new Api(server.url).get('/metrics');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
      expect(res.text).to.match(/^nodejs_eventloop_lag_seconds \d/m);
      expect(res.text).to.include('# TYPE shine_http_request_duration_seconds histogram');
    });

    it('labels request durations with the route pattern, never the raw URL', async () => {
      const alice = await buildUser(admin);
      const k = await admin.post('/api/v1/kudos', { recipientIds: [alice.user.id], behaviourKeys: ['empathize'], message: 'Metrics!' });
      expect(k.status).to.equal(201);
      const before = await scrape();
      expect((await admin.get(`/api/v1/kudos/${k.body.id}`)).status).to.equal(200);
      expect((await admin.get('/api/v1/kudos/not-a-kudos-id')).status).to.equal(404);
      // Rejected by validation: the error leaves the API router before the answer is written.
      expect((await admin.get('/api/v1/kudos?limit=abc')).status).to.equal(400);
      expect((await admin.get('/api/v1/no/such/route')).status).to.equal(404);
      expect((await admin.get('/no/such/page')).status).to.equal(404);
      expect((await admin.get('/styles.css')).status).to.equal(200);
      const after = await scrape();
      const delta = (m: string, r: string, s: number) => (durationCount(after, m, r, s) ?? 0) - (durationCount(before, m, r, s) ?? 0);
      expect(delta('GET', '/api/v1/kudos/:id', 200)).to.equal(1);
      expect(delta('GET', '/api/v1/kudos/:id', 404)).to.equal(1);
      expect(delta('GET', '/api/v1/kudos', 400)).to.equal(1);
      expect(delta('GET', '/api/v1/*', 404)).to.equal(1);
      expect(delta('GET', 'unmatched', 404)).to.equal(1);
      expect(delta('GET', 'static', 200)).to.equal(1);
      expect(after).not.to.include(k.body.id);
      expect(after).not.to.include('not-a-kudos-id');
      expect(after).not.to.include('no/such/route');
    });

    it('counts created kudos once, not their idempotent replays', async () => {
      const bob = await buildUser(admin);
      const before = value(await scrape(), 'shine_kudos_created_total');
      const body = { recipientIds: [bob.user.id], behaviourKeys: ['empathize'], message: 'Once' };
      const first = await admin.post('/api/v1/kudos', body, { 'Idempotency-Key': 'metrics-once' });
      const replay = await admin.post('/api/v1/kudos', body, { 'Idempotency-Key': 'metrics-once' });
      expect([first.status, replay.status]).to.deep.equal([201, 201]);
      expect(replay.headers.get('idempotent-replayed')).to.equal('true');
      expect(value(await scrape(), 'shine_kudos_created_total')).to.equal((before ?? 0) + 1);
    });

    it('tracks live connections by kind', async () => {
      const read = (kind: string) => async () => value(await scrape(), `shine_live_connections{kind="${kind}"}`);
      expect(await read('user')()).to.equal(0);
      const display = await admin.post('/api/v1/displays', { name: 'Metrics TV' });
      expect(display.status).to.equal(201);
      const user = await connectLive(server.url, admin.token as string);
      const tv = await connectLive(server.url, display.body.token);
      await waitForMetric(read('user'), 1);
      await waitForMetric(read('display'), 1);
      user.close();
      tv.close();
      await waitForMetric(read('user'), 0);
      await waitForMetric(read('display'), 0);
    });

    it('hides /metrics from forwarded and non-loopback callers', async function () {
      const forwarded = await new Api(server.url).get('/metrics', { 'x-forwarded-for': '127.0.0.1' });
      expect(forwarded.status).to.equal(404);
      expect(forwarded.body).to.have.nested.property('error.code', 'route_not_found');
      const lan = lanAddress();
      if (!lan) this.skip(); // no non-loopback interface on this machine
      const remote = await new Api(`http://${lan}:${server.port}`).get('/metrics');
      expect(remote.status).to.equal(404);
      expect(remote.text).not.to.include('shine_');
    });

    it('counts requests answered 503 because storage is unavailable', async () => {
      const before = value(await scrape(), 'shine_store_errors_total');
      expect(before).to.equal(0);
      await server.store.close();
      const res = await admin.get('/api/v1/me');
      expect(res.status, res.text).to.equal(503);
      expect(res.body).to.have.nested.property('error.code', 'store_unavailable');
      expect(value(await scrape(), 'shine_store_errors_total')).to.equal(1);
    });
  });

  describe('with SHINE_METRICS_TOKEN', () => {
    const token = 'metrics-token-0123456789';
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ env: { SHINE_METRICS_TOKEN: token } });
    });
    after(() => server?.close());

    it('requires the bearer token, even from loopback', async () => {
      const anon = new Api(server.url);
      const none = await anon.get('/metrics');
      expect(none.status).to.equal(401);
      expect(none.headers.get('www-authenticate')).to.match(/^Bearer/);
      expect(none.body).to.have.nested.property('error.code', 'invalid_token');
      expect((await anon.get('/metrics', { authorization: `Bearer ${token}x` })).status).to.equal(401);
      expect((await anon.get('/metrics', { authorization: token })).status).to.equal(401);
      const ok = await anon.get('/metrics', { authorization: `Bearer ${token}` });
      expect(ok.status).to.equal(200);
      expect(ok.text).to.include('shine_kudos_created_total');
    });
  });

  describe('with SHINE_METRICS_PORT', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ env: { SHINE_METRICS_PORT: '0' } });
    });

    it('serves /metrics only on the separate listener', async () => {
      expect(server.metricsUrl).to.be.a('string');
      expect((await new Api(server.url).get('/metrics')).status).to.equal(404);
      const res = await new Api(server.metricsUrl as string).get('/metrics');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('shine_store_errors_total');
      expect((await new Api(server.metricsUrl as string).get('/api/v1/healthz')).status).to.equal(404);
    });

    it('stops the listener with the server', async () => {
      const url = server.metricsUrl as string;
      await server.close();
      let refused = false;
      await fetch(`${url}/metrics`).catch(() => (refused = true));
      expect(refused).to.equal(true);
    });
  });
});
