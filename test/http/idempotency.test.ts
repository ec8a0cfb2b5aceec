import { expect } from 'chai';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

forEachStore('Idempotency-Key on every write', (h) => {
  const key = (name: string) => ({ 'Idempotency-Key': `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}` });

  it('runs concurrent retries once: the others wait their turn (409) or get the first answer', async () => {
    const headers = key('create-user');
    const body = { name: 'Rae Racer', email: `rae.${Date.now()}@shine.test`, team: 'Support', password: 'a-long-enough-password' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => h().admin.post('/api/v1/users', body, headers)));
    for (const a of answers) {
      if (a.status === 409) expect(a.body.error.code, a.text).to.equal('idempotency_key_in_progress');
      else expect(a.status, a.text).to.equal(201);
    }
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).to.be.greaterThan(0);
    expect(new Set(created.map((a) => a.body.id)).size).to.equal(1);
    // Once the first has answered, every retry gets that answer.
    const later = await h().admin.post('/api/v1/users', body, headers);
    expect(later.status).to.equal(201);
    expect(later.body.id).to.equal(created[0]?.body.id);
    expect(later.headers.get('idempotent-replayed')).to.equal('true');
  });

  it('replays a 204 answer instead of running the write again', async () => {
    const giver = await buildUser(h().admin);
    const to = await buildUser(h().admin);
    const k = await giver.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['empathize'], message: 'Oops, twice' });
    const headers = key('delete');
    const first = await giver.api.delete(`/api/v1/kudos/${k.body.id}`, undefined, headers);
    const retry = await giver.api.delete(`/api/v1/kudos/${k.body.id}`, undefined, headers);
    expect([first.status, retry.status]).to.deep.equal([204, 204]);
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');
    expect((await giver.api.delete(`/api/v1/kudos/${k.body.id}`)).status, 'without the key it runs, and finds nothing').to.equal(404);
  });

  it('knows a retry spelled another way (letter case, trailing slash) as the same request', async () => {
    const person = await buildUser(h().admin);
    const headers = key('spelling');
    const first = await h().admin.patch(`/api/v1/users/${person.user.id}`, { team: 'Spelled' }, headers);
    expect(first.status, first.text).to.equal(200);
    const retry = await h().admin.patch(`/api/v1/Users/${person.user.id}/`, { team: 'Spelled' }, headers);
    expect(retry.status, retry.text).to.equal(200);
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');
    // Another person is another request: the key is refused, not replayed.
    const other = await buildUser(h().admin);
    const reused = await h().admin.patch(`/api/v1/users/${other.user.id}`, { team: 'Spelled' }, headers);
    expect(reused.status, reused.text).to.equal(422);
    expect(reused.body.error.code).to.equal('idempotency_key_reused');
  });

  it('refuses the same key with another body (422 idempotency_key_reused) instead of answering for a write it did not do', async () => {
    const headers = key('other-body');
    const start = Date.UTC(2019, 0, 1);
    const day = 86_400_000;
    const period = (name: string, from: number) => ({ name, startsAt: new Date(from).toISOString(), endsAt: new Date(from + day).toISOString() });
    const first = await h().admin.post('/api/v1/periods', period('Key first', start), headers);
    expect(first.status, first.text).to.equal(201);
    const other = await h().admin.post('/api/v1/periods', period('Key second', start + 2 * day), headers);
    expect(other.status, other.text).to.equal(422);
    expect(other.body.error.code).to.equal('idempotency_key_reused');
    expect(other.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['Idempotency-Key']);
    const names = (await h().admin.get<{ items: { name: string }[] }>('/api/v1/periods?limit=100')).body.items.map((p) => p.name);
    expect(names).to.include('Key first').and.not.include('Key second');
    // The same body spelled otherwise (fields in another order, another time zone) is the same request.
    const { name, startsAt, endsAt } = period('Key first', start);
    const shifted = '2019-01-01T01:00:00+01:00';
    const retry = await h().admin.post('/api/v1/periods', { endsAt, name, startsAt: shifted }, headers);
    expect(retry.status, retry.text).to.equal(201);
    expect(retry.body).to.deep.equal(first.body);
    expect(retry.headers.get('idempotent-replayed')).to.equal('true');
    expect(startsAt).to.equal(new Date(Date.parse(shifted)).toISOString());
  });

  it('gives the key back when the request fails, so a corrected retry runs', async () => {
    const giver = await buildUser(h().admin);
    const to = await buildUser(h().admin);
    const headers = key('fails-first');
    const bad = await giver.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['no-such-behaviour'], message: 'Hi' }, headers);
    expect(bad.status).to.equal(422);
    const good = await giver.api.post('/api/v1/kudos', { recipientIds: [to.user.id], behaviourKeys: ['empathize'], message: 'Hi' }, headers);
    expect(good.status, good.text).to.equal(201);
    expect(good.headers.get('idempotent-replayed')).to.equal(null);
  });

  it('never keeps the token of a sign-in sent with a signed-in Authorization header and an Idempotency-Key', async () => {
    const person = await buildUser(h().admin);
    const headers = key('login');
    const body = { email: person.user.email, password: person.password };
    const first = await person.api.post('/api/v1/auth/login', body, headers);
    expect(first.status, first.text).to.equal(200);
    expect(first.body.token).to.be.a('string');
    expect(await h().server.store.getStoredResponse(person.user.id, headers['Idempotency-Key']), 'nothing stored under the key').to.equal(null);
    // A retry signs in afresh: no stored answer, no credential handed out again from storage.
    const retry = await person.api.post('/api/v1/auth/login', body, headers);
    expect(retry.status, retry.text).to.equal(200);
    expect(retry.headers.get('idempotent-replayed')).to.equal(null);
  });

  it('never keeps a credential for a replay, and checks access before replaying', async () => {
    const admin2 = await buildUser(h().admin, { role: 'admin' });
    const headers = key('display');
    const name = `Replay TV ${Date.now()}`;
    const first = await admin2.api.post('/api/v1/displays', { name }, headers);
    expect(first.status, first.text).to.equal(201);
    expect(first.body.token).to.be.a('string');
    const stored = await h().server.store.getStoredResponse(admin2.user.id, headers['Idempotency-Key']);
    expect(stored?.status).to.equal(201);
    expect(stored?.body).to.not.include(first.body.token);

    const retry = await admin2.api.post('/api/v1/displays', { name }, headers);
    expect(retry.status).to.equal(409);
    expect(retry.body.error.code).to.equal('idempotency_answer_withheld');
    const displays = await h().admin.get<{ items: Array<{ name: string }> }>('/api/v1/displays?limit=100');
    expect(displays.body.items.filter((d) => d.name === name)).to.have.length(1);

    // Demoted: the same key no longer reaches anything, not even the refusal above.
    expect((await h().admin.patch(`/api/v1/users/${admin2.user.id}`, { role: 'employee' })).status).to.equal(200);
    const again = await h().admin.as(null).login(admin2.user.email, admin2.password);
    const denied = await again.post('/api/v1/displays', { name }, headers);
    expect(denied.status).to.equal(403);
  });
});
