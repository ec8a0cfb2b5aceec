import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';
import { connectError, connectLive, sleep, type LiveClient } from '../support/live-client.js';
import { liveTrio } from '../support/live-trio.js';
import { startTestServer } from '../support/server.js';
import { Api as ApiClient } from '../support/api.js';

forEachStore('live feed', (h) => {
  const trio = liveTrio(h);
  const give = (api: Api, to: string[], extra: Record<string, unknown> = {}) =>
    api.post('/api/v1/kudos', { recipientIds: to, behaviourKeys: ['empathize'], message: 'Live thanks', ...extra });

  it('refuses a bad token with connect_error "unauthorized"', async () => {
    expect(await connectError(h().server.url, 'nonsense')).to.equal('unauthorized');
    expect(await connectError(h().server.url, 'shd_not-a-real-display-token')).to.equal('unauthorized');
  });

  it('delivers a new kudos to two users and a display', async () => {
    const display = (await h().admin.post('/api/v1/displays', { name: 'Lobby TV' })).body;
    const [b, c, d] = await Promise.all([trio.live(trio.bob.api.token as string), trio.live(trio.carol.api.token as string), trio.live(display.token)]);
    const posted = await give(trio.alice.api, [trio.bob.user.id], { message: 'Seen everywhere' });
    for (const client of [b, c, d]) await client.waitForCreated(1);
    for (const client of [b, c, d]) expect(client.got.created.map((k) => k.id)).to.deep.equal([posted.body.id]);
    expect(d.got.created[0]).to.deep.equal(posted.body);
  });

  it('sends a private kudos only to its audience', async () => {
    const hr = await buildUser(h().admin, { role: 'hr' });
    const display = (await h().admin.post('/api/v1/displays', { name: 'Private test TV' })).body;
    const clients = await Promise.all([trio.alice, trio.bob, trio.carol, hr].map((u) => trio.live(u.api.token as string)).concat(trio.live(display.token)));
    const priv = await give(trio.alice.api, [trio.bob.user.id], { visibility: 'private' });
    const pub = await give(trio.carol.api, [trio.alice.user.id]);
    for (const client of clients) await client.waitFor(() => client.got.created.some((k) => k.id === pub.body.id), 3000, 'the public kudos');
    const gotPrivate = (x: LiveClient) => x.got.created.some((k) => k.id === priv.body.id);
    expect(clients.map(gotPrivate)).to.deep.equal([true, true, false, true, false]);
  });

  it('sends reactions, comments and removals as updates to those who can see the kudos', async () => {
    const b = await trio.live(trio.bob.api.token as string);
    const k = (await give(trio.alice.api, [trio.bob.user.id])).body;
    await b.waitForCreated(1);
    await trio.carol.api.post(`/api/v1/kudos/${k.id}/reactions`, { emoji: '🎉' });
    await trio.carol.api.post(`/api/v1/kudos/${k.id}/comments`, { message: 'Well deserved' });
    await b.waitFor(() => b.got.updated.length >= 2, 3000, 'two updates');
    expect(b.got.updated.at(-1)).to.deep.equal({ id: k.id, reactions: { '🎉': 1 }, commentCount: 1 });
    await trio.alice.api.delete(`/api/v1/kudos/${k.id}`);
    await b.waitFor(() => b.got.removed.length === 1, 3000, 'removal');
    expect(b.got.removed[0]).to.deep.equal({ id: k.id });
  });

  it('narrows the stream with feed:subscribe {team}', async () => {
    const c = await trio.live(trio.carol.api.token as string);
    const ack = await c.socket.emitWithAck('feed:subscribe', { team: 'Sales' });
    expect(ack).to.deep.equal({ ok: true, team: 'Sales' });
    const support = await give(trio.alice.api, [trio.bob.user.id]);
    const sales = await give(trio.alice.api, [trio.carol.user.id]);
    await c.waitFor(() => c.got.created.some((k) => k.id === sales.body.id), 3000, 'the Sales kudos');
    expect(c.got.created.map((k) => k.id)).not.to.include(support.body.id);
    const bad = await c.socket.emitWithAck('feed:subscribe', { team: { $ne: 1 } });
    expect(bad.ok).to.equal(false);
  });

  it('answers feed:subscribe and feed:since sent with an acknowledgement and no payload', async () => {
    const c = await trio.live(trio.carol.api.token as string);
    expect(await c.socket.timeout(2000).emitWithAck('feed:subscribe', { team: 'Sales' })).to.deep.equal({ ok: true, team: 'Sales' });
    // No payload is {team?} without a team: the whole feed again.
    expect(await c.socket.timeout(2000).emitWithAck('feed:subscribe')).to.deep.equal({ ok: true, team: null });
    const support = (await give(trio.alice.api, [trio.bob.user.id], { message: 'whole feed again' })).body;
    await c.waitFor(() => c.got.created.some((k) => k.id === support.id), 3000, 'a kudos outside Sales');
    const since = await c.socket.timeout(2000).emitWithAck('feed:since');
    expect(since).to.deep.include({ ok: false });
    expect(since.error.code).to.equal('invalid_request');
  });

  it('narrows live events and the feed:since replay alike, the user\'s own private kudos included', async () => {
    const start = (await give(trio.carol.api, [trio.alice.user.id], { message: 'before narrowing' })).body;
    const watching = await trio.live(trio.bob.api.token as string);
    expect(await watching.socket.emitWithAck('feed:subscribe', { team: 'Sales' })).to.deep.equal({ ok: true, team: 'Sales' });
    h().clock.advance(5);
    const ownInSupport = (await give(trio.alice.api, [trio.bob.user.id], { visibility: 'private', message: 'Support only' })).body;
    await trio.alice.api.post(`/api/v1/kudos/${ownInSupport.id}/reactions`, { emoji: '🎉' });
    h().clock.advance(5);
    const ownInSales = (await give(trio.bob.api, [trio.carol.user.id], { visibility: 'private', message: 'Support and Sales' })).body;
    h().clock.advance(5);
    const sales = (await give(trio.alice.api, [trio.carol.user.id], { message: 'Sales, last' })).body;
    await watching.waitFor(() => watching.got.created.some((k) => k.id === sales.id), 3000, 'the last Sales kudos');
    const gotLive = watching.got.created.map((k) => k.id);
    expect(gotLive).to.deep.equal([ownInSales.id, sales.id]);
    expect(watching.got.updated.map((u) => u.id)).to.not.include(ownInSupport.id);
    const replaying = await trio.live(trio.bob.api.token as string);
    await replaying.socket.emitWithAck('feed:subscribe', { team: 'Sales' });
    expect(await replaying.socket.emitWithAck('feed:since', { id: start.id })).to.deep.equal({ ok: true, replayed: 2, hasMore: false });
    await replaying.waitForCreated(2);
    expect(replaying.got.created.map((k) => k.id)).to.deep.equal(gotLive);
  });

  it('limits a team display to its team', async () => {
    const d = await trio.live((await h().admin.post('/api/v1/displays', { name: 'Sales TV', team: 'Sales' })).body.token);
    const support = await give(trio.alice.api, [trio.bob.user.id]);
    const sales = await give(trio.alice.api, [trio.carol.user.id]);
    await d.waitFor(() => d.got.created.some((k) => k.id === sales.body.id), 3000, 'the Sales kudos');
    expect(d.got.created.map((k) => k.id)).not.to.include(support.body.id);
  });

  it('takes a display\'s team as the people\'s team is spelled, whatever case the admin typed it in', async () => {
    // Before the fix a display created for "sales" matched no kudos of the "Sales" team: its wall
    // waited for the first kudos for ever while the admin's list said it was on air.
    const created = await h().admin.post('/api/v1/displays', { name: 'Sales TV, typed fast', team: 'sales' });
    expect(created.status, created.text).to.equal(201);
    expect(created.body.team).to.equal('Sales');
    const d = await trio.live(created.body.token);
    const sales = await give(trio.alice.api, [trio.carol.user.id]);
    await d.waitFor(() => d.got.created.some((k) => k.id === sales.body.id), 3000, 'the Sales kudos');
    const page = await h().anon.as(created.body.token).get('/api/v1/kudos');
    expect(page.body.items.map((k: { id: string }) => k.id)).to.include(sales.body.id);
    // A team nobody is in yet is kept as typed: people may be imported into it later.
    const future = await h().admin.post('/api/v1/displays', { name: 'New team TV', team: 'Night Shift' });
    expect(future.body.team).to.equal('Night Shift');
  });

  it('cuts a revoked display off within a second and refuses it afterwards', async () => {
    const display = (await h().admin.post('/api/v1/displays', { name: 'Doomed TV' })).body;
    const d = await trio.live(display.token);
    let revoked = false;
    d.socket.on('display:revoked', () => { revoked = true; });
    const listed = await h().admin.get('/api/v1/displays');
    expect(listed.body.items.find((x: { id: string }) => x.id === display.id).connected).to.equal(true);
    const started = Date.now();
    expect((await h().admin.delete(`/api/v1/displays/${display.id}`)).status).to.equal(204);
    await d.waitFor(() => !d.socket.connected, 1000, 'disconnect');
    expect(Date.now() - started).to.be.below(1000);
    expect(revoked).to.equal(true);
    expect(await connectError(h().server.url, display.token)).to.equal('unauthorized');
    expect((await h().anon.as(display.token).get('/api/v1/kudos')).status).to.equal(401);
  });

  it('disconnects a deactivated user at once', async () => {
    const temp = await buildUser(h().admin);
    const t = await trio.live(temp.api.token as string);
    const narrowed = await trio.live(temp.api.token as string);
    await narrowed.socket.emitWithAck('feed:subscribe', { team: 'Sales' }); // out of its user room
    await h().admin.patch(`/api/v1/users/${temp.user.id}`, { active: false });
    await t.waitFor(() => !t.socket.connected && !narrowed.socket.connected, 1000, 'disconnect');
    expect(narrowed.got.ended).to.deep.equal([{ reason: 'credentials_changed' }]);
  });

  it('ends every connection of a user who signs out, saying why', async () => {
    const leaving = await buildUser(h().admin);
    const phone = await h().admin.as(null).login(leaving.user.email, leaving.password);
    const laptop = await trio.live(leaving.api.token as string);
    const onPhone = await trio.live(phone.token as string);
    const reasons: unknown[] = [];
    for (const c of [laptop, onPhone]) c.socket.on('session:ended', (r: unknown) => reasons.push(r));
    expect((await leaving.api.post('/api/v1/auth/logout')).status).to.equal(204);
    await laptop.waitFor(() => !laptop.socket.connected && !onPhone.socket.connected, 1000, 'both connections to end');
    expect(reasons).to.deep.equal([{ reason: 'signed_out' }, { reason: 'signed_out' }]);
  });

  it('replays exactly the five kudos a client missed, in order, with feed:since', async () => {
    const b = await trio.live(trio.bob.api.token as string);
    const first = (await give(trio.alice.api, [trio.bob.user.id], { message: 'before the gap' })).body;
    await b.waitFor(() => b.got.created.some((k) => k.id === first.id), 3000, 'first kudos');
    b.close();
    const missed: string[] = [];
    for (let i = 0; i < 5; i++) {
      h().clock.advance(5);
      missed.push((await give(trio.carol.api, [trio.alice.user.id], { message: `missed ${i}` })).body.id);
    }
    const again = await trio.live(trio.bob.api.token as string);
    const ack = await again.socket.emitWithAck('feed:since', { id: first.id });
    expect(ack).to.deep.equal({ ok: true, replayed: 5, hasMore: false });
    await again.waitForCreated(5);
    await sleep(100);
    expect(again.got.created.map((k) => k.id)).to.deep.equal(missed);
    const bad = await again.socket.emitWithAck('feed:since', { id: 'x'.repeat(100) });
    expect(bad.ok).to.equal(false);
    for (const createdAt of ['garbage', '9999-12-31T23:59:59-23:59']) {
      const refused = await again.socket.emitWithAck('feed:since', { id: 'unknown-id', createdAt });
      expect(refused, createdAt).to.deep.include({ ok: false });
      expect(refused.error.code, createdAt).to.equal('invalid_request');
    }
  });

  it('replays each kudos as this receiver sees it, with its own reactions in myReactions', async () => {
    const b = await trio.live(trio.bob.api.token as string);
    const anchor = (await give(trio.alice.api, [trio.bob.user.id], { message: 'anchor for reactions' })).body;
    await b.waitFor(() => b.got.created.some((k) => k.id === anchor.id), 3000, 'the anchor');
    b.close();
    h().clock.advance(5);
    const missed = (await give(trio.carol.api, [trio.alice.user.id], { message: 'reacted to from another device' })).body;
    // While this connection is away, Bob reacts on his phone, and so does Carol.
    expect((await trio.bob.api.post(`/api/v1/kudos/${missed.id}/reactions`, { emoji: '🎉' })).status).to.equal(201);
    expect((await trio.carol.api.post(`/api/v1/kudos/${missed.id}/reactions`, { emoji: '👏' })).status).to.equal(201);
    const again = await trio.live(trio.bob.api.token as string);
    expect(await again.socket.emitWithAck('feed:since', { id: anchor.id })).to.deep.equal({ ok: true, replayed: 1, hasMore: false });
    await again.waitForCreated(1);
    // The same view GET /kudos/:id gives Bob, myReactions included.
    expect(again.got.created[0]).to.deep.equal((await trio.bob.api.get(`/api/v1/kudos/${missed.id}`)).body);
    expect((again.got.created[0] as unknown as { myReactions: string[] }).myReactions).to.deep.equal(['🎉']);
  });

  it('treats a private kudos the connection may not see as an unknown feed:since anchor', async () => {
    const priv = (await give(trio.alice.api, [trio.bob.user.id], { visibility: 'private', message: 'private anchor' })).body;
    h().clock.advance(5);
    const later = (await give(trio.carol.api, [trio.alice.user.id], { message: 'after the private anchor' })).body;
    const display = (await h().admin.post('/api/v1/displays', { name: 'Anchor TV' })).body;
    const [c, d, b] = await Promise.all([trio.live(trio.carol.api.token as string), trio.live(display.token), trio.live(trio.bob.api.token as string)]);
    for (const x of [c, d]) {
      // Without a time: nothing, as for an id that does not exist.
      expect(await x.socket.emitWithAck('feed:since', { id: priv.id })).to.deep.equal(await x.socket.emitWithAck('feed:since', { id: 'no-such-kudos' }));
      // With one: the client's time, as for an id that does not exist.
      const createdAt = new Date(Date.parse(priv.createdAt) - 60_000).toISOString();
      expect(await x.socket.emitWithAck('feed:since', { id: priv.id, createdAt })).to.deep.equal(await x.socket.emitWithAck('feed:since', { id: 'no-such-kudos', createdAt }));
    }
    expect(await c.socket.emitWithAck('feed:since', { id: 'no-such-kudos' })).to.deep.equal({ ok: true, replayed: 0, hasMore: false });
    // Its recipient may anchor on it.
    expect(await b.socket.emitWithAck('feed:since', { id: priv.id })).to.deep.include({ ok: true, replayed: 1 });
    await b.waitFor(() => b.got.created.some((k) => k.id === later.id), 3000, 'the replayed kudos');
  });

  it('does not replay a kudos the connection already received live before it asked', async () => {
    const before = (await give(trio.alice.api, [trio.bob.user.id], { message: 'before connecting' })).body;
    const b = await trio.live(trio.bob.api.token as string);
    const meanwhile = (await give(trio.carol.api, [trio.bob.user.id], { message: 'between connect and feed:since' })).body;
    await b.waitFor(() => b.got.created.some((k) => k.id === meanwhile.id), 3000, 'the live kudos');
    const ack = await b.socket.emitWithAck('feed:since', { id: before.id });
    expect(ack).to.deep.equal({ ok: true, replayed: 0, hasMore: false });
    await sleep(100);
    expect(b.got.created.map((k) => k.id)).to.deep.equal([meanwhile.id]);
  });

  it('gives a reconnecting client only what its current credential allows, whatever session it claims', async () => {
    // socket.io's session recovery would restore the old session's rooms (here: HR's view of every
    // private kudos) and resend what it missed, before the new token was even checked.
    const hr = await buildUser(h().admin, { role: 'hr' });
    const c = await trio.live(hr.api.token as string);
    const seen = (await give(trio.alice.api, [trio.bob.user.id], { message: 'before the drop' })).body;
    await c.waitFor(() => c.got.created.some((k) => k.id === seen.id), 3000, 'the first kudos');
    const dropped = new Promise<void>((ok) => c.socket.once('disconnect', () => ok()));
    c.socket.io.engine.close(); // a network drop, as the server sees it: "transport close"
    await dropped;
    await sleep(300); // the server, too, has seen the drop (and would have kept the session)
    const demoted = await h().admin.patch(`/api/v1/users/${hr.user.id}`, { role: 'employee' });
    expect(demoted.status, demoted.text).to.equal(200);
    const missed = (await give(trio.alice.api, [trio.bob.user.id], { visibility: 'private', message: 'private, while away' })).body;
    const again = await h().admin.as(null).login(hr.user.email, hr.password);
    c.socket.auth = { token: again.token as string };
    const reconnected = new Promise<void>((ok) => c.socket.once('connect', () => ok()));
    c.socket.connect(); // sends the previous session id and offset along, as any socket.io client does
    await reconnected;
    expect(c.socket.recovered).to.not.equal(true);
    const after = (await give(trio.alice.api, [trio.bob.user.id], { visibility: 'private', message: 'private, after' })).body;
    const pub = (await give(trio.carol.api, [trio.alice.user.id], { message: 'public, after' })).body;
    await c.waitFor(() => c.got.created.some((k) => k.id === pub.id), 3000, 'the public kudos');
    const got = c.got.created.map((k) => k.id);
    expect(got).to.not.include(missed.id);
    expect(got).to.not.include(after.id);
  });
});

describe('live catch-up across a server restart', () => {
  it('replays what a client missed while the server was down', async () => {
    const first = await startTestServer();
    const admin = await new ApiClient(first.url).loginAdmin();
    const a = await buildUser(admin);
    const b = await buildUser(admin);
    const seen = (await a.api.post('/api/v1/kudos', { recipientIds: [b.user.id], behaviourKeys: ['empathize'], message: 'seen' })).body;
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const api = new ApiClient(second.url, a.api.token);
      const missed = (await api.post('/api/v1/kudos', { recipientIds: [b.user.id], behaviourKeys: ['empathize'], message: 'missed' })).body;
      const client = await connectLive(second.url, b.api.token as string);
      const ack = await client.socket.emitWithAck('feed:since', { id: seen.id });
      expect(ack.replayed).to.equal(1);
      await client.waitForCreated(1);
      expect(client.got.created.map((k) => k.id)).to.deep.equal([missed.id]);
      client.close();
    } finally {
      await second.close();
    }
  });
});

describe('live session lifetime', () => {
  it('ends a user connection when its token expires, and sends nothing after', async () => {
    const server = await startTestServer({ env: { JWT_TTL: '2s' } });
    try {
      const admin = await new ApiClient(server.url).loginAdmin();
      const a = await buildUser(admin);
      const b = await buildUser(admin);
      const client = await connectLive(server.url, b.api.token as string);
      let ended: { reason: string } | null = null;
      client.socket.on('session:ended', (r: { reason: string }) => { ended = r; });
      await client.waitFor(() => !client.socket.connected, 4000, 'the connection to end at token expiry');
      expect(ended).to.deep.equal({ reason: 'token_expired' });
      expect((await b.api.get('/api/v1/me')).status).to.equal(401);
      const fresh = await admin.as(null).login(a.user.email, a.password);
      await fresh.post('/api/v1/kudos', { recipientIds: [b.user.id], behaviourKeys: ['empathize'], message: 'after expiry', visibility: 'private' });
      await sleep(200);
      expect(client.got.created).to.deep.equal([]);
      client.close();
    } finally {
      await server.close();
    }
  });
});
