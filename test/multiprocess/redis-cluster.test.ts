import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, buildUser } from '../support/api.js';
import { dropRedisStreams, pingRedis, sleep, startShineProcess, type ShineProcess } from '../support/process.js';
import { LiveClient, refusal } from './live-client.js';

const REDIS_URL = process.env.SHINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dropStream = (name: string) => dropRedisStreams(REDIS_URL, name);

type User = { user: { id: string; email: string }; api: Api; password: string };
type KudosBody = { id: string; message: string };

/**
 * Two real Shine processes on one sqlite file (WAL), sharing live events over Redis: a load
 * balancer in front of them must not be able to tell there are two.
 */
describe('two Shine processes over Redis', function () {
  this.timeout(60_000);
  // A stream of our own: a second test run (or a real deployment) on this Redis stays apart.
  const stream = `shine-test-${process.pid}-${Date.now()}`;
  let dataDir = '';
  let a: ShineProcess | null = null;
  let b: ShineProcess | null = null;
  let adminA: Api;
  let adminB: Api;
  let giver: User;
  let recipient: User;
  let behaviourKey = '';
  const clients: LiveClient[] = [];

  const A = () => a as ShineProcess;
  const B = () => b as ShineProcess;
  const open = async (p: ShineProcess, token: string, label: string) => {
    const c = await LiveClient.open(p.url, token, label);
    clients.push(c);
    return c;
  };
  const postKudos = async (api: Api, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await api.post<KudosBody>('/api/v1/kudos', { recipientIds: [recipient.user.id], behaviourKeys: [behaviourKey], message, ...extra }, headers);
    expect(res.status, res.text).to.equal(201);
    return res.body;
  };
  const withLogs = (msg: string) => `${msg}\n--- A ---\n${a?.tail(15) ?? ''}\n--- B ---\n${b?.tail(15) ?? ''}`;

  before(async function () {
    const reason = await pingRedis(REDIS_URL);
    if (reason) {
      console.log(`\n!!! redis: SKIPPED (${reason})\n`);
      this.skip();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'shine-cluster-'));
    const env = { SHINE_REDIS_URL: REDIS_URL, SHINE_REDIS_STREAM: stream };
    // A first: it migrates and creates the admin; B then opens the same, ready file.
    a = await startShineProcess({ dataDir, env, name: 'A' });
    b = await startShineProcess({ dataDir, env, name: 'B' });
    adminA = await new Api(A().url).loginAdmin();
    adminB = new Api(B().url, adminA.token);
    giver = await buildUser(adminA, { team: 'Support' });
    recipient = await buildUser(adminA, { team: 'Support' });
    const behaviours = await adminA.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours');
    behaviourKey = behaviours.body.find((x) => x.active)?.key ?? '';
    expect(behaviourKey, 'an active behaviour in the seeded catalog').to.not.equal('');
  });

  after(async function () {
    for (const c of clients) c.close();
    await Promise.all([a?.stop(), b?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (a) await dropStream(stream);
  });

  const display = async (name: string) => {
    const res = await adminA.post<{ id: string; token: string }>('/api/v1/displays', { name });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  };

  it('delivers a kudos posted to A to a user and a display connected to B, private ones only to their people', async function () {
    const tv = await display('Lobby B');
    const user = await open(B(), recipient.api.token as string, 'recipient@B');
    const screen = await open(B(), tv.token, 'display@B');
    const secret = await postKudos(giver.api, `private via A ${Date.now()}`, { visibility: 'private' });
    const open1 = await postKudos(giver.api, `public via A ${Date.now()}`);
    await user.waitForKudos((k) => k.id === secret.id).catch((e: Error) => expect.fail(withLogs(e.message)));
    await user.waitForKudos((k) => k.id === open1.id);
    await screen.waitForKudos((k) => k.id === open1.id);
    // The stream is ordered: once the later public kudos arrived, the private one would have too.
    expect(screen.kudos.map((k) => k.id)).to.deep.equal([open1.id]);
    expect(user.kudos.map((k) => k.id)).to.deep.equal([secret.id, open1.id]);
    // Connection state is asked of every process: A reports the screen that is connected to B.
    const list = await adminA.get<{ items: Array<{ id: string; connected: boolean }> }>('/api/v1/displays');
    expect(list.body.items.find((d) => d.id === tv.id)?.connected, 'display on B seen from A').to.equal(true);
  });

  it('delivers a burst of kudos committed together on A to screens on A and B, each once, in the same order', async function () {
    const tv = await display('Burst wall');
    const onA = await open(A(), tv.token, 'display@A');
    const onB = await open(B(), tv.token, 'display@B');
    // Several givers posting at once: the writer commits them in groups, and each group's live
    // events leave A as one stream entry.
    const givers = await Promise.all([0, 1, 2, 3].map((i) => buildUser(adminA, { name: `Burst giver ${i}`, team: 'Support' })));
    const posted = await Promise.all(givers.flatMap((g, i) => [0, 1, 2, 3, 4, 5].map((n) => postKudos(g.api, `burst ${i}.${n}`))));
    const ids = new Set(posted.map((k) => k.id));
    for (const screen of [onA, onB]) {
      for (const k of posted) await screen.waitForKudos((x) => x.id === k.id).catch((e: Error) => expect.fail(withLogs(e.message)));
      const seen = screen.kudos.map((k) => k.id).filter((id) => ids.has(id));
      expect(seen, 'each kudos once').to.have.length(posted.length);
    }
    // One stream: B applies A's orders in the order A applied them.
    expect(onB.kudos.map((k) => k.id), 'B in the same order as A').to.deep.equal(onA.kudos.map((k) => k.id));
    const busEntries = async (p: ShineProcess, direction: string) => {
      const text = (await new Api(p.url).get('/metrics')).text;
      const line = text.split('\n').find((l) => l.startsWith(`shine_live_bus_entries_total{direction="${direction}"} `));
      return Number(line?.split(' ')[1] ?? Number.NaN);
    };
    expect(await busEntries(A(), 'sent'), 'entries A wrote').to.be.at.least(1);
    expect(await busEntries(B(), 'received'), 'entries B read').to.be.at.least(1);
  });

  it('keeps a deployment with another SHINE_REDIS_STREAM apart on the same Redis', async function () {
    const other = await startShineProcess({ dataDir, env: { SHINE_REDIS_URL: REDIS_URL, SHINE_REDIS_STREAM: `${stream}-other` }, name: 'C' });
    try {
      const onB = await open(B(), recipient.api.token as string, 'recipient@B');
      const onC = await open(other, recipient.api.token as string, 'recipient@C');
      const viaA = await postKudos(giver.api, `stream A/B ${Date.now()}`);
      const viaC = await postKudos(new Api(other.url, giver.api.token), `stream C ${Date.now()}`);
      await onB.waitForKudos((k) => k.id === viaA.id);
      await onC.waitForKudos((k) => k.id === viaC.id);
      await sleep(300);
      expect(onB.kudos.map((k) => k.id), 'B sees only its own deployment').to.deep.equal([viaA.id]);
      expect(onC.kudos.map((k) => k.id), 'C sees only its own deployment').to.deep.equal([viaC.id]);
    } finally {
      await other.stop();
      await dropStream(`${stream}-other`);
    }
  });

  it('cuts a display connected to B within a second of its revocation on A', async function () {
    const tv = await display('Revoked soon');
    const screen = await open(B(), tv.token, 'display@B');
    const sent = Date.now();
    const res = await adminA.delete(`/api/v1/displays/${tv.id}`);
    expect(res.status, res.text).to.equal(204);
    const cut = await screen.waitForDisconnect(2_000);
    expect(cut.at - sent, 'revoke → disconnect on the other process (ms)').to.be.below(1_000);
    expect(cut.reason).to.equal('io server disconnect');
    expect(screen.events).to.include('display:revoked');
    expect(await refusal(B().url, tv.token)).to.equal('unauthorized');
  });

  it('moves a team wall connected to B to the team an admin re-points it at on A', async function () {
    const sales = await buildUser(adminA, { team: 'Sales' });
    const created = await adminA.post<{ id: string; token: string }>('/api/v1/displays', { name: 'Moving wall', team: 'Support' });
    expect(created.status, created.text).to.equal(201);
    const tv = created.body;
    const screen = await open(B(), tv.token, 'team display@B');
    expect((await screen.since('0')).ok).to.equal(true); // admitted: its rooms are joined
    const sent = Date.now();
    const res = await adminA.patch(`/api/v1/displays/${tv.id}`, { team: 'Sales' });
    expect(res.status, res.text).to.equal(200);
    const cut = await screen.waitForDisconnect(2_000);
    expect(cut.at - sent, 'edit → disconnect on the other process (ms)').to.be.below(1_000);
    expect(screen.events).to.deep.equal(['display:changed']);
    // The wall reconnects by itself; here the test does, to B again.
    const again = await open(B(), tv.token, 'team display@B again');
    expect((await again.since('0')).ok).to.equal(true);
    const support = await postKudos(giver.api, 'Support thanks after the move');
    const toSales = await giver.api.post<KudosBody>('/api/v1/kudos', { recipientIds: [sales.user.id], behaviourKeys: [behaviourKey], message: 'Sales thanks after the move' });
    expect(toSales.status, toSales.text).to.equal(201);
    await again.waitForKudos((k) => k.id === toSales.body.id);
    expect(again.kudos.map((k) => k.id), withLogs('the old team reached the moved wall')).not.to.include(support.id);
  });

  it('cuts the sockets on B of a user deactivated on A, of one whose role changed, and of one who signed out', async function () {
    const leaving = await buildUser(adminA);
    const promoted = await buildUser(adminA);
    const signingOut = await buildUser(adminA);
    const leavingSocket = await open(B(), leaving.api.token as string, 'leaving@B');
    const promotedSocket = await open(B(), promoted.api.token as string, 'promoted@B');
    const signingOutSocket = await open(B(), signingOut.api.token as string, 'signing-out@B');
    const sent = Date.now();
    expect((await adminA.patch(`/api/v1/users/${leaving.user.id}`, { active: false })).status).to.equal(200);
    expect((await adminA.patch(`/api/v1/users/${promoted.user.id}`, { role: 'manager' })).status).to.equal(200);
    expect((await signingOut.api.post('/api/v1/auth/logout')).status).to.equal(204);
    const cut = await leavingSocket.waitForDisconnect(2_000);
    expect(cut.at - sent).to.be.below(1_000);
    expect(cut.reason).to.equal('io server disconnect');
    expect(leavingSocket.events).to.include('session:ended');
    expect((await promotedSocket.waitForDisconnect(2_000)).reason).to.equal('io server disconnect');
    expect((await signingOutSocket.waitForDisconnect(2_000)).reason).to.equal('io server disconnect');
    expect(signingOutSocket.events).to.include('session:ended');
    // The old tokens are dead everywhere, not only on the process that made the change.
    expect(await refusal(B().url, leaving.api.token as string)).to.equal('unauthorized');
    expect(await refusal(B().url, promoted.api.token as string)).to.equal('unauthorized');
    expect(await refusal(B().url, signingOut.api.token as string)).to.equal('unauthorized');
  });

  it('honours an Idempotency-Key across processes, sequentially and concurrently', async function () {
    const onA = giver.api;
    const onB = new Api(B().url, giver.api.token);
    const key1 = `cluster-seq-${Date.now()}`;
    const first = await postKudos(onA, `idempotent ${key1}`, {}, { 'Idempotency-Key': key1 });
    const retry = await onB.post<KudosBody>('/api/v1/kudos', { recipientIds: [recipient.user.id], behaviourKeys: [behaviourKey], message: `idempotent ${key1}` }, { 'Idempotency-Key': key1 });
    expect(retry.status, retry.text).to.equal(201);
    expect(retry.body.id).to.equal(first.id);
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');

    const key2 = `cluster-race-${Date.now()}`;
    const body = { recipientIds: [recipient.user.id], behaviourKeys: [behaviourKey], message: `race ${key2}` };
    const answers = await Promise.all([onA, onB, onA, onB].map((api) => api.post<KudosBody>('/api/v1/kudos', body, { 'Idempotency-Key': key2 })));
    expect(answers.map((r) => r.status)).to.deep.equal([201, 201, 201, 201]);
    expect(new Set(answers.map((r) => r.body.id)).size, 'one kudos id for four racing requests').to.equal(1);

    const feed = await adminB.get<{ items: KudosBody[] }>(`/api/v1/kudos?giver=${giver.user.id}&limit=100`);
    expect(feed.body.items.filter((k) => k.message === `idempotent ${key1}`)).to.have.length(1);
    expect(feed.body.items.filter((k) => k.message === `race ${key2}`)).to.have.length(1);
  });

  it('counts failed logins for one email across both processes', async function () {
    const target = await buildUser(adminA);
    const email = target.user.email;
    for (let i = 0; i < 10; i++) {
      const p = i % 2 === 0 ? A() : B();
      const res = await new Api(p.url).post('/api/v1/auth/login', { email, password: `wrong-${i}-password` });
      expect(res.status, `attempt ${i + 1} on ${p.name}`).to.equal(401);
    }
    for (const p of [A(), B()]) {
      const res = await new Api(p.url).post('/api/v1/auth/login', { email, password: target.password });
      expect(res.status, `11th attempt on ${p.name}: the limit is shared`).to.equal(429);
      expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
    }
  });

  it('enforces a giver allowance across processes under concurrent posts', async function () {
    const current = await adminA.get<Record<string, unknown>>('/api/v1/scoring-rules');
    if (current.status === 404) {
      console.log('\n!!! allowance across processes: SKIPPED (PUT /scoring-rules is not wired yet)\n');
      this.skip();
    }
    const { weights: _weights, ...rules } = current.body;
    const put = await adminA.put('/api/v1/scoring-rules', { ...rules, allowancePerPeriod: 3 });
    expect(put.status, put.text).to.equal(200);
    try {
      const spender = await buildUser(adminA);
      const apis = [new Api(A().url, spender.api.token), new Api(B().url, spender.api.token)];
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (apis[i % 2] as Api).post('/api/v1/kudos', { recipientIds: [recipient.user.id], behaviourKeys: [behaviourKey], message: `allowance ${i}` })),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([201, 201, 201, 422, 422, 422]);
    } finally {
      await adminA.put('/api/v1/scoring-rules', { ...rules, allowancePerPeriod: rules.allowancePerPeriod ?? null });
    }
  });

  it('after kill -9 of B its clients reconnect to A and feed:since replays exactly what they missed', async function () {
    const tv = await display('Survivor');
    const clientsOnB = [await open(B(), recipient.api.token as string, 'user@B'), await open(B(), tv.token, 'display@B')];
    const seen = await postKudos(giver.api, `before the crash ${Date.now()}`);
    for (const c of clientsOnB) await c.waitForKudos((k) => k.id === seen.id);

    await B().kill9();
    for (const c of clientsOnB) expect((await c.waitForDisconnect(2_000)).reason).to.equal('transport close');
    const missed: string[] = [];
    for (let i = 0; i < 4; i++) missed.push((await postKudos(giver.api, `while B was dead ${i}`)).id);

    const [userToken, tvToken] = [recipient.api.token as string, tv.token];
    const moved = [await open(A(), userToken, 'user@A'), await open(A(), tvToken, 'display@A')];
    for (const c of moved) {
      const ack = await c.since(seen.id);
      expect(ack, JSON.stringify(ack)).to.deep.include({ ok: true, hasMore: false });
      // Usually all four come in the replay. A post's delivery, even on its own process, waits for
      // the Redis stream write, so the last one can reach a fresh connection live first; the
      // replay then leaves it out. Either way each arrives exactly once.
      const ids = c.kudos.map((k) => k.id);
      expect(ids, `${c.label}: each missed kudos once`).to.have.members(missed);
      expect(new Set(ids).size, `${c.label}: no duplicates`).to.equal(ids.length);
    }
    const after = await postKudos(giver.api, `after the move ${Date.now()}`);
    for (const c of moved) {
      await c.waitForKudos((k) => k.id === after.id);
      await sleep(100);
      const ids = c.kudos.map((k) => k.id);
      expect(ids.at(-1), `${c.label}: live after the replay`).to.equal(after.id);
      expect(ids, `${c.label}: replay then live, no duplicates`).to.have.members([...missed, after.id]);
    }
    // A still answers questions that involve every process (fetchSockets), without B.
    const started = Date.now();
    const list = await adminA.get<{ items: Array<{ id: string; connected: boolean }> }>('/api/v1/displays');
    expect(list.status, list.text).to.equal(200);
    expect(list.body.items.find((d) => d.id === tv.id)?.connected).to.equal(true);
    console.log(`      (GET /displays on A with B dead took ${Date.now() - started} ms)`);
  });
});
