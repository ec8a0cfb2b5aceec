import { expect } from 'chai';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

interface TeamPage {
  items: { name: string; people: number }[];
  nextCursor: string | null;
}

forEachStore('teams', (h) => {
  it('lists the teams of active people with their counts, in the directory order, page by page', async () => {
    // 'Admin' is the first admin's team (bootstrap).
    const people = await Promise.all([
      buildUser(h().admin, { team: 'Support' }), buildUser(h().admin, { team: 'Support' }), buildUser(h().admin, { team: 'support' }),
      buildUser(h().admin, { team: 'Équipe Nord' }), buildUser(h().admin, { team: 'Zoo' }), buildUser(h().admin, { team: 'Left' }),
    ]);
    const gone = await h().admin.patch(`/api/v1/users/${people[5]!.user.id}`, { active: false });
    expect(gone.status, gone.text).to.equal(200);
    const employee = people[0]!.api;

    const all = await employee.get<TeamPage>('/api/v1/teams?limit=100');
    expect(all.status, all.text).to.equal(200);
    expect(all.body).to.deep.equal({
      items: [
        { name: 'Admin', people: 1 },
        { name: 'Équipe Nord', people: 1 },
        { name: 'Support', people: 2 },
        { name: 'support', people: 1 },
        { name: 'Zoo', people: 1 },
      ],
      nextCursor: null,
    });

    const walked: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const page: { status: number; text: string; body: TeamPage } = await employee.get<TeamPage>(`/api/v1/teams?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status, page.text).to.equal(200);
      walked.push(...page.body.items.map((t) => t.name));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(walked).to.deep.equal(all.body.items.map((t) => t.name));
  });

  it('answers bad paging with the documented 400 shape, and no one signed out', async () => {
    const bad = await h().admin.get('/api/v1/teams?limit=0');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_request');
    const cursor = await h().admin.get('/api/v1/teams?cursor=nope');
    expect(cursor.status).to.equal(400);
    expect(cursor.body.error.code).to.equal('invalid_cursor');
    expect((await h().anon.get('/api/v1/teams')).status).to.equal(401);
  });
});
