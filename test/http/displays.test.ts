import { expect } from 'chai';
import { buildUser } from '../support/api.js';
import { forEachStore } from '../support/harness.js';

forEachStore('displays list', (h) => {
  it('tells the admin which team displays show a team no one is in any more', async () => {
    // Kudos keep the team they were given in, so a wall whose team was renamed or emptied shows its
    // old kudos for good; before the fix nothing in the list hinted at it.
    const dora = await buildUser(h().admin, { name: 'Dora Night', team: 'Night Shift' });
    const night = (await h().admin.post('/api/v1/displays', { name: 'Night TV', team: 'Night Shift' })).body.id as string;
    const lobby = (await h().admin.post('/api/v1/displays', { name: 'Lobby TV' })).body.id as string;
    const listed = async () => {
      const r = await h().admin.get('/api/v1/displays?limit=100');
      expect(r.status, r.text).to.equal(200);
      const byId = new Map((r.body.items as { id: string; teamHasPeople: boolean | null }[]).map((d) => [d.id, d.teamHasPeople]));
      return [byId.get(night), byId.get(lobby)];
    };
    expect(await listed()).to.deep.equal([true, null]);
    const moved = await h().admin.patch(`/api/v1/users/${dora.user.id}`, { team: 'Late Shift' });
    expect(moved.status, moved.text).to.equal(200);
    expect(await listed()).to.deep.equal([false, null]);
  });
});
