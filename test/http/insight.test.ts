import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

forEachStore('leaderboard and summaries', (h) => {
  const people: Record<string, { user: { id: string; name: string }; api: Api }> = {};
  let from = '';
  let to = '';

  before(async () => {
    // A fresh month far from "now", so other tests' kudos cannot leak into the fixture.
    h().clock.ms = Date.parse('2031-03-01T00:00:00.000Z');
    from = '2031-03-01T00:00:00.000Z';
    to = '2031-04-01T00:00:00.000Z';
    for (const [name, team] of [['Ann', 'North'], ['Ben', 'North'], ['Cat', 'South'], ['Dan', 'South']] as const) {
      people[name] = await buildUser(h().admin, { name: `${name} Fixture`, team });
    }
    const give = async (giver: string, to: string[], behaviourKeys: string[]) => {
      h().clock.advance(60_000);
      const res = await people[giver]!.api.post('/api/v1/kudos', { recipientIds: to.map((n) => people[n]!.user.id), behaviourKeys, message: `${giver} thanks ${to.join(', ')}` });
      expect(res.status).to.equal(201);
      return res.body.id as string;
    };
    // Hand-computed fixture:
    //  received: Ann 4, Ben 2, Cat 2, Dan 0 (a removed kudos to Dan must not count)
    //  given:    Ben 2, Dan 2, Ann 1, Cat 1 (+1 removed)
    //  by team (pairs by recipient team): North 6, South 2
    //  behaviour 'apologize' received: Ann 2, Cat 2
    await give('Ben', ['Ann'], ['empathize', 'apologize']);
    await give('Cat', ['Ann', 'Ben'], ['empathize']);
    await give('Dan', ['Ann', 'Cat'], ['apologize']);
    await give('Ann', ['Ben'], ['take-ownership']);
    await give('Dan', ['Cat'], ['apologize', 'empathize']);
    await give('Ben', ['Ann'], ['take-ownership']);
    const removed = await give('Cat', ['Dan'], ['empathize']);
    expect((await people.Cat!.api.delete(`/api/v1/kudos/${removed}`)).status).to.equal(204);
  });

  const rows = async (q: string) => {
    const res = await people.Ann!.api.get(`/api/v1/leaderboard?from=${from}&to=${to}&${q}`);
    expect(res.status, res.text).to.equal(200);
    return res.body.items.map((r: { rank: number; name: string; count: number }) => [r.rank, r.name, r.count]);
  };

  it('ranks recipients', async () => {
    expect(await rows('by=recipient')).to.deep.equal([[1, 'Ann Fixture', 4], [2, 'Ben Fixture', 2], [2, 'Cat Fixture', 2]]);
  });

  it('ranks givers', async () => {
    expect(await rows('by=giver')).to.deep.equal([[1, 'Ben Fixture', 2], [1, 'Dan Fixture', 2], [3, 'Ann Fixture', 1], [3, 'Cat Fixture', 1]]);
  });

  it('ranks teams by kudos received by their members', async () => {
    expect(await rows('by=team')).to.deep.equal([[1, 'North', 6], [2, 'South', 2]]);
  });

  it('filters by behaviour', async () => {
    expect(await rows('by=recipient&behaviour=apologize')).to.deep.equal([[1, 'Ann Fixture', 2], [1, 'Cat Fixture', 2]]);
  });

  it('leaves private kudos out of the counts for those who may not see them all', async () => {
    const hr = await buildUser(h().admin, { role: 'hr' });
    h().clock.advance(60_000);
    const priv = await people.Dan!.api.post('/api/v1/kudos', { recipientIds: [people.Ben!.user.id], behaviourKeys: ['empathize'], message: 'Just between us', visibility: 'private' });
    expect(priv.status, priv.text).to.equal(201);
    const at = Date.parse(priv.body.createdAt);
    const narrow = `from=${new Date(at).toISOString()}&to=${new Date(at + 1).toISOString()}`;
    const count = async (api: Api, q: string) => (await api.get(`/api/v1/leaderboard?${q}`)).body.items.map((r: { name: string; count: number }) => [r.name, r.count]);
    // The window holds that one private kudos: an employee (even its recipient) learns nothing from counts.
    expect(await count(people.Ann!.api, `${narrow}&by=giver`)).to.deep.equal([]);
    expect(await count(people.Ben!.api, `${narrow}&by=recipient`)).to.deep.equal([]);
    expect(await count(hr.api, `${narrow}&by=giver`)).to.deep.equal([['Dan Fixture', 1]]);
    expect(await rows('by=recipient')).to.deep.equal([[1, 'Ann Fixture', 4], [2, 'Ben Fixture', 2], [2, 'Cat Fixture', 2]]);
    expect((await people.Dan!.api.delete(`/api/v1/kudos/${priv.body.id}`)).status).to.equal(204);
  });

  it("keeps private kudos out of the TV wall's monthly total", async () => {
    h().clock.advance(60_000);
    const priv = await people.Dan!.api.post('/api/v1/kudos', { recipientIds: [people.Cat!.user.id], behaviourKeys: ['empathize'], message: 'Quietly, thanks', visibility: 'private' });
    expect(priv.status, priv.text).to.equal(201);
    const display = (await h().admin.post('/api/v1/displays', { name: 'Stats TV' })).body.token as string;
    // The first stats read of this server: nothing cached yet. Six public kudos, one private.
    const stats = await h().anon.as(display).get('/api/v1/display/stats');
    expect(stats.status, stats.text).to.equal(200);
    expect(stats.body).to.include({ team: null, kudosCount: 6 });
    expect((await people.Dan!.api.delete(`/api/v1/kudos/${priv.body.id}`)).status).to.equal(204);
  });

  it("counts a team wall's month from its team's kudos, as its feed shows them", async () => {
    // Before the fix a team wall's strip gave the whole company's totals and most thanked people
    // under that team's feed, and said "6 kudos given" on a wall waiting for its first kudos.
    // South's kudos (its people gave or got them): Cat → Ann and Ben, Dan → Ann and Cat, Dan → Cat.
    const south = (await h().admin.post('/api/v1/displays', { name: 'South TV', team: 'South' })).body.token as string;
    const stats = await h().anon.as(south).get('/api/v1/display/stats');
    expect(stats.status, stats.text).to.equal(200);
    expect(stats.body).to.include({ team: 'South', from, to, kudosCount: 3 });
    expect(stats.body.topBehaviours).to.deep.equal([{ key: 'apologize', name: 'Apologize', count: 2 }, { key: 'empathize', name: 'Empathize', count: 2 }]);
    expect(stats.body.topRecipients.map((r: { name: string; count: number }) => [r.name, r.count])).to.deep.equal([['Ann Fixture', 2], ['Cat Fixture', 2], ['Ben Fixture', 1]]);
    expect(stats.body.teams).to.deep.equal([]);
    const west = (await h().admin.post('/api/v1/displays', { name: 'West TV', team: 'West' })).body.token as string;
    expect((await h().anon.as(west).get('/api/v1/display/stats')).body).to.include({ kudosCount: 0 });
  });

  it('rejects half a range', async () => {
    const res = await people.Ann!.api.get(`/api/v1/leaderboard?from=${from}`);
    expect(res.status).to.equal(400);
  });

  it('summarises a person for themself, their manager and hr only', async () => {
    const mine = await people.Ann!.api.get(`/api/v1/users/${people.Ann!.user.id}/summary`);
    expect(mine.status).to.equal(200);
    expect(mine.body.counts.receivedTotal).to.equal(4);
    expect(mine.body.counts.givenTotal).to.equal(1);
    expect(mine.body.counts.receivedByBehaviour).to.deep.equal([
      { key: 'apologize', name: 'Apologize', count: 2 },
      { key: 'empathize', name: 'Empathize', count: 2 },
      { key: 'take-ownership', name: 'Take ownership', count: 1 },
    ]);
    expect(mine.body.recentReceived).to.have.length(4);
    expect((await people.Ben!.api.get(`/api/v1/users/${people.Ann!.user.id}/summary`)).status).to.equal(404);
    const boss = await buildUser(h().admin, { role: 'manager' });
    await h().admin.patch(`/api/v1/users/${people.Ann!.user.id}`, { managerId: boss.user.id });
    expect((await boss.api.get(`/api/v1/users/${people.Ann!.user.id}/summary`)).status).to.equal(200);
  });

  it("keeps a report's private kudos between other people out of their manager's summary counts", async () => {
    const boss = await buildUser(h().admin, { role: 'manager', team: 'South' });
    const report = await buildUser(h().admin, { team: 'South', managerId: boss.user.id });
    const hr = await buildUser(h().admin, { role: 'hr' });
    const summary = async (api: Api) => {
      const res = await api.get(`/api/v1/users/${report.user.id}/summary`);
      expect(res.status, res.text).to.equal(200);
      return res.body as { counts: { givenTotal: number; receivedTotal: number; givenByBehaviour: unknown[]; receivedByBehaviour: unknown[] }; recentGiven: unknown[]; recentReceived: unknown[] };
    };
    h().clock.advance(60_000);
    const given = await report.api.post('/api/v1/kudos', { recipientIds: [people.Cat!.user.id], behaviourKeys: ['empathize'], message: 'Between us two', visibility: 'private' });
    const received = await people.Dan!.api.post('/api/v1/kudos', { recipientIds: [report.user.id], behaviourKeys: ['apologize'], message: 'Quietly, thanks', visibility: 'private' });
    expect([given.status, received.status]).to.deep.equal([201, 201]);
    // The manager sees neither kudos in the lists beside the counts, so the counts must not hold them either.
    const bosses = await summary(boss.api);
    expect(bosses.recentGiven).to.have.length(0);
    expect(bosses.recentReceived).to.have.length(0);
    expect(bosses.counts).to.deep.equal({ givenTotal: 0, receivedTotal: 0, givenByBehaviour: [], receivedByBehaviour: [] });
    // The report (their giver and recipient) and hr count both.
    for (const api of [report.api, hr.api]) {
      const { counts } = await summary(api);
      expect(counts).to.deep.equal({
        givenTotal: 1,
        receivedTotal: 1,
        givenByBehaviour: [{ key: 'empathize', name: 'Empathize', count: 1 }],
        receivedByBehaviour: [{ key: 'apologize', name: 'Apologize', count: 1 }],
      });
    }
    for (const id of [given.body.id, received.body.id]) expect((await hr.api.delete(`/api/v1/kudos/${id}`, { reason: 'test clean-up' })).status).to.equal(204);
  });

  it("refuses a report's summary to a manager who is no longer one (role employee), as their scores are", async () => {
    const former = await buildUser(h().admin, { role: 'manager' });
    await h().admin.patch(`/api/v1/users/${people.Dan!.user.id}`, { managerId: former.user.id });
    expect((await former.api.get(`/api/v1/users/${people.Dan!.user.id}/summary`)).status).to.equal(200);
    expect((await h().admin.patch(`/api/v1/users/${former.user.id}`, { role: 'employee' })).status).to.equal(200);
    // The role change ended the old token; a fresh sign-in carries the employee role.
    const again = await h().admin.as(null).login(former.user.email, former.password);
    expect((await again.get(`/api/v1/users/${people.Dan!.user.id}/summary`)).status).to.equal(404);
  });
});
