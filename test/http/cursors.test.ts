import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

/** A cursor as clients held them before cursors named their list: base64url of [key, id]. */
const untagged = (key: string, id: string) => Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url');
const decoded = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];

forEachStore('cursors', (h) => {
  let hr: Api;
  let kudosIds: string[];
  let periodIds: string[];
  /** Every list that pages, with the address of its first page and a limit that leaves more. */
  let lists: Record<string, string>;

  before(async () => {
    const admin = h().admin;
    hr = (await buildUser(admin, { name: 'Cursor Hr', team: 'Cursors', role: 'hr' })).api;
    const ann = await buildUser(admin, { name: 'Cursor Ann', team: 'Cursors' });
    const ben = await buildUser(admin, { name: 'Cursor Ben', team: 'Cursors B' });
    await buildUser(admin, { name: 'Cursor Cy', team: 'Cursors', role: 'manager' }); // a role change: one more audit entry
    kudosIds = [];
    for (let i = 0; i < 3; i++) {
      h().clock.advance(1000);
      const k = await ann.api.post('/api/v1/kudos', { recipientIds: [ben.user.id], behaviourKeys: ['empathize'], message: `Paging ${i}` });
      expect(k.status, k.text).to.equal(201);
      kudosIds.push(k.body.id);
    }
    for (const id of kudosIds.slice(0, 2)) for (const m of ['first', 'second']) expect((await ben.api.post(`/api/v1/kudos/${id}/comments`, { message: m })).status).to.equal(201);
    const now = h().clock.now();
    periodIds = [];
    for (const [name, from, to] of [['Cursor now', now - 86_400_000, now + 86_400_000], ['Cursor later', Date.UTC(2050, 0, 1), Date.UTC(2050, 1, 1)]] as const) {
      const p = await hr.post('/api/v1/periods', { name, startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString() });
      expect(p.status, p.text).to.equal(201);
      periodIds.push(p.body.id);
    }
    for (const name of ['Cursor TV 1', 'Cursor TV 2']) {
      h().clock.advance(1000);
      expect((await admin.post('/api/v1/displays', { name })).status).to.equal(201);
    }
    lists = {
      users: '/api/v1/users?limit=1',
      teams: '/api/v1/teams?limit=1',
      kudos: '/api/v1/kudos?limit=1',
      'kudos?team=': '/api/v1/kudos?limit=1&team=Cursors',
      comments: `/api/v1/kudos/${kudosIds[0]}/comments?limit=1`,
      'comments of another kudos': `/api/v1/kudos/${kudosIds[1]}/comments?limit=1`,
      periods: '/api/v1/periods?limit=1',
      displays: '/api/v1/displays?limit=1',
      audit: '/api/v1/audit?limit=1',
      scores: `/api/v1/periods/${periodIds[0]}/scores?limit=1`,
      'scores of another period': `/api/v1/periods/${periodIds[1]}/scores?limit=1`,
    };
  });

  const withCursor = (path: string, cursor: string) => `${path}&cursor=${encodeURIComponent(cursor)}`;
  /** hr reads every list but the displays, which are an admin's. */
  const reader = (list: string) => (list === 'displays' ? h().admin : hr);

  async function firstCursors(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [list, path] of Object.entries(lists)) {
      const res = await reader(list).get(path);
      expect(res.status, `${list}: ${res.text}`).to.equal(200);
      expect(res.body.nextCursor, `${list} has a second page`).to.be.a('string');
      out[list] = res.body.nextCursor;
    }
    return out;
  }

  it('takes each list\'s own cursor and refuses every other list\'s with 400 invalid_cursor', async () => {
    const cursors = await firstCursors();
    for (const [list, path] of Object.entries(lists)) {
      for (const [from, cursor] of Object.entries(cursors)) {
        const res = await reader(list).get(withCursor(path, cursor));
        if (from === list) {
          expect(res.status, `${list} with its own cursor: ${res.text}`).to.equal(200);
          continue;
        }
        expect(res.status, `${list} with a ${from} cursor: ${res.text}`).to.equal(400);
        expect(res.body.error).to.include({ code: 'invalid_cursor' });
        expect(res.body.error.message).to.be.a('string');
        expect(res.body.error.details).to.deep.equal([{ path: 'cursor', message: 'a cursor of another list or filter: start again from the first page' }]);
      }
    }
  });

  it('ties a feed cursor to its filter, and a display\'s feed cursor to its team', async () => {
    const first = await hr.get('/api/v1/kudos?limit=1&behaviour=empathize');
    const cursor = first.body.nextCursor as string;
    expect((await hr.get(withCursor('/api/v1/kudos?limit=1&behaviour=empathize', cursor))).status).to.equal(200);
    for (const other of ['/api/v1/kudos?limit=1', '/api/v1/kudos?limit=1&behaviour=take-ownership', '/api/v1/kudos?limit=1&behaviour=empathize&since=2020-01-01T00:00:00Z']) {
      const res = await hr.get(withCursor(other, cursor));
      expect(res.status, other).to.equal(400);
      expect(res.body.error.code).to.equal('invalid_cursor');
    }
    // Spelled differently, the same filter: the time in another zone, the team with spaces around it.
    const since = await hr.get('/api/v1/kudos?limit=1&since=2020-01-01T00:00:00Z');
    expect((await hr.get(withCursor(`/api/v1/kudos?limit=1&since=${encodeURIComponent('2020-01-01T01:00:00+01:00')}`, since.body.nextCursor))).status).to.equal(200);
    const team = await hr.get('/api/v1/kudos?limit=1&team=Cursors');
    expect((await hr.get(withCursor('/api/v1/kudos?limit=1&team=%20Cursors%20', team.body.nextCursor))).status).to.equal(200);
    // A team display reads its team's feed whatever it asks: its cursors are that filter's.
    const tv = await h().admin.post('/api/v1/displays', { name: 'Cursor team TV', team: 'Cursors' });
    const wall = await h().anon.as(tv.body.token).get('/api/v1/kudos?limit=1');
    expect(wall.status, wall.text).to.equal(200);
    expect((await hr.get(withCursor('/api/v1/kudos?limit=1&team=Cursors', wall.body.nextCursor))).status).to.equal(200);
    expect((await hr.get(withCursor('/api/v1/kudos?limit=1', wall.body.nextCursor))).status).to.equal(400);
  });

  it('keeps untagged cursors from before the change working where their position fits the list', async () => {
    const all = await hr.get('/api/v1/kudos?limit=3');
    const [newest, second] = all.body.items as { id: string; createdAt: string }[];
    // A feed position ([createdAt, id]) still pages the feed, as the tagged cursor would.
    const old = await hr.get(`/api/v1/kudos?limit=1&cursor=${untagged(newest!.createdAt, newest!.id)}`);
    expect(old.status, old.text).to.equal(200);
    expect(old.body.items[0].id).to.equal(second!.id);
    const tagged = (await hr.get('/api/v1/kudos?limit=1')).body.nextCursor as string;
    expect(decoded(tagged).slice(0, 2)).to.deep.equal([newest!.createdAt, newest!.id]);
    // A directory position (a name) is no place in the feed, and a time is none in the directory.
    const userCursor = decoded((await hr.get('/api/v1/users?limit=1')).body.nextCursor as string);
    const asFeed = await hr.get(`/api/v1/kudos?limit=1&cursor=${untagged(userCursor[0]!, userCursor[1]!)}`);
    expect(asFeed.status).to.equal(400);
    expect(asFeed.body.error.code).to.equal('invalid_cursor');
    expect((await hr.get(`/api/v1/users?limit=1&cursor=${untagged(userCursor[0]!, userCursor[1]!)}`)).status).to.equal(200);
    expect((await hr.get(`/api/v1/users?limit=1&cursor=${untagged(newest!.createdAt, newest!.id)}`)).status).to.equal(400);
    expect((await hr.get(`/api/v1/periods/${periodIds[0]}/scores?limit=1&cursor=${untagged(newest!.createdAt, newest!.id)}`)).status).to.equal(400);
  });

  it('refuses a cursor that is not one of ours in the same shape', async () => {
    for (const junk of ['not-a-cursor', untagged('a', 'b').slice(0, -2), Buffer.from(JSON.stringify(['a', 'b', 'c', 'd'])).toString('base64url'), Buffer.from(JSON.stringify(['a', 'b', 7])).toString('base64url')]) {
      const res = await hr.get(`/api/v1/kudos?cursor=${junk}`);
      expect(res.status, junk).to.equal(400);
      expect(res.body.error).to.include({ code: 'invalid_cursor' });
      expect(res.body.error.details[0].path).to.equal('cursor');
    }
  });
});
