import { expect } from 'chai';
import type { Api } from '../support/api.js';
import { forEachStore } from '../support/harness.js';
import { liveTrio } from '../support/live-trio.js';

forEachStore('live: editing a display', (h) => {
  const trio = liveTrio(h);
  const give = async (api: Api, to: string) => {
    const r = await api.post('/api/v1/kudos', { recipientIds: [to], behaviourKeys: ['empathize'], message: 'Thanks from the wall test' });
    expect(r.status, r.text).to.equal(201);
    return r.body.id as string;
  };

  it('moves a connected team wall to its new team: it reconnects and hears the new team, not the old one', async () => {
    const display = (await h().admin.post('/api/v1/displays', { name: 'Floor TV', team: 'Support' })).body as { id: string; token: string };
    const wall = await trio.live(display.token);
    // As the wall page does (src/web/lib/live.ts): a server-side disconnect is retried by the client.
    let connects = 1;
    wall.socket.on('connect', () => connects++);
    wall.socket.on('disconnect', (reason) => reason === 'io server disconnect' && wall.socket.connect());

    const beforeEdit = await give(trio.alice.api, trio.bob.user.id);
    await wall.waitFor(() => wall.got.created.some((k) => k.id === beforeEdit), 3000, 'the Support kudos before the edit');

    const edited = await h().admin.patch(`/api/v1/displays/${display.id}`, { team: 'sales' });
    expect(edited.status, edited.text).to.equal(200);
    expect(edited.body.team).to.equal('Sales');
    await wall.waitFor(() => connects === 2 && wall.socket.connected, 3000, 'the wall to reconnect');
    expect(wall.got.ended, 'a team change is not a revocation').to.deep.equal(['display:changed']);
    // Admitted (rooms joined) once feed:since answers.
    expect(await wall.socket.emitWithAck('feed:since', { createdAt: new Date().toISOString() })).to.deep.include({ ok: true });

    const oldTeam = await give(trio.alice.api, trio.bob.user.id);
    const newTeam = await give(trio.alice.api, trio.carol.user.id);
    await wall.waitFor(() => wall.got.created.some((k) => k.id === newTeam), 3000, 'the Sales kudos after the edit');
    expect(wall.got.created.map((k) => k.id)).not.to.include(oldTeam);
    // The HTTP feed the wall reloads after reconnecting is the new team's too.
    const page = await h().anon.as(display.token).get('/api/v1/kudos');
    const ids = page.body.items.map((k: { id: string }) => k.id);
    expect(ids).to.include(newTeam);
    expect(ids).not.to.include(oldTeam);
  });

  it('leaves a wall connected when only its name changes', async () => {
    const display = (await h().admin.post('/api/v1/displays', { name: 'Quiet TV', team: 'Support' })).body as { id: string; token: string };
    const wall = await trio.live(display.token);
    expect(await wall.socket.emitWithAck('feed:since', { createdAt: new Date().toISOString() })).to.deep.include({ ok: true });
    expect((await h().admin.patch(`/api/v1/displays/${display.id}`, { name: 'Still quiet TV', team: 'Support' })).status).to.equal(200);
    const after = await give(trio.alice.api, trio.bob.user.id);
    await wall.waitFor(() => wall.got.created.some((k) => k.id === after), 3000, 'the Support kudos');
    expect(wall.socket.connected).to.equal(true);
  });
});
