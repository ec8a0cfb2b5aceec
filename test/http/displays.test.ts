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

forEachStore('editing a display', (h) => {
  it("renames a display and re-points it at a team as its people spell it, keeping its token, and audits it", async () => {
    await buildUser(h().admin, { name: 'Hana Desk', team: 'Help Désk' });
    const created = await h().admin.post('/api/v1/displays', { name: 'Support TV', team: 'Support' });
    expect(created.status, created.text).to.equal(201);
    const { id, token } = created.body as { id: string; token: string };

    const edited = await h().admin.patch(`/api/v1/displays/${id}`, { name: '  Help desk TV ', team: 'help desk' });
    expect(edited.status, edited.text).to.equal(200);
    expect(edited.body).to.deep.include({ id, name: 'Help desk TV', team: 'Help Désk', revokedAt: null, teamHasPeople: true });
    expect(edited.body).to.not.have.property('token');

    // Left out stays; null is the whole company.
    const whole = await h().admin.patch(`/api/v1/displays/${id}`, { team: null });
    expect(whole.status, whole.text).to.equal(200);
    expect(whole.body).to.deep.include({ name: 'Help desk TV', team: null, teamHasPeople: null });

    // The screen's token still works: no visit to the TV.
    expect((await h().anon.as(token).get('/api/v1/display/stats')).status).to.equal(200);
    const listed = (await h().admin.get('/api/v1/displays?limit=100')).body.items.find((d: { id: string }) => d.id === id);
    expect(listed).to.deep.include({ name: 'Help desk TV', team: null });

    const audit = (await h().admin.get('/api/v1/audit?limit=10')).body.items.filter((e: { action: string; targetId: string }) => e.action === 'display.updated' && e.targetId === id);
    expect(audit.map((e: { details: unknown }) => e.details)).to.deep.equal([
      { from: { name: 'Help desk TV', team: 'Help Désk' }, to: { name: 'Help desk TV', team: null } },
      { from: { name: 'Support TV', team: 'Support' }, to: { name: 'Help desk TV', team: 'Help Désk' } },
    ]);
  });

  it('answers 404 for an unknown or revoked display and 400 for a bad name or team, changing nothing', async () => {
    const id = (await h().admin.post('/api/v1/displays', { name: 'Kitchen TV', team: 'Kitchen' })).body.id as string;
    for (const body of [{ name: '' }, { name: 'x'.repeat(121) }, { team: 'y'.repeat(81) }, { team: '\u202Eevil' }, { team: 42 }, { colour: 'red' }]) {
      const r = await h().admin.patch(`/api/v1/displays/${id}`, body);
      expect(r.status, `${JSON.stringify(body)} → ${r.text}`).to.equal(400);
      expect(r.body.error.code).to.equal('invalid_request');
      expect(r.body.error.details).to.be.an('array').that.is.not.empty;
    }
    expect((await h().admin.patch(`/api/v1/displays/no-such-display`, { name: 'X' })).status).to.equal(404);
    expect((await h().admin.patch(`/api/v1/displays/bad%20id`, { name: 'X' })).status).to.equal(400);
    expect((await h().admin.delete(`/api/v1/displays/${id}`)).status).to.equal(204);
    const revoked = await h().admin.patch(`/api/v1/displays/${id}`, { name: 'Back again' });
    expect(revoked.status, revoked.text).to.equal(404);
    expect(revoked.body.error.code).to.equal('not_found');
    const listed = (await h().admin.get('/api/v1/displays?limit=100')).body.items.find((d: { id: string }) => d.id === id);
    expect(listed).to.deep.include({ name: 'Kitchen TV', team: 'Kitchen' });
  });
});
