import { expect } from 'chai';
import type { Store } from '../../src/store/store.js';
import { Api, buildUser } from '../support/api.js';
import { connectLive, sleep, type LiveClient } from '../support/live-client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { availableStores } from '../support/stores.js';

type Action = () => Promise<unknown>;

for (const kind of availableStores()) {
  describe(`live handshake racing a revocation [${kind.name}]`, () => {
    let server: TestServer;
    let dispose: () => Promise<void>;
    let admin: Api;
    // Actions to run right after the next reads of a user (by id) or of a display (by token hash or
    // id), before the read is answered: the competing write lands between the handshake's read and
    // what the server does with it. Reads made by an action itself run no action.
    const afterRead = new Map<string, Action[]>();
    let busy = false;
    const race = async (key: string) => {
      const action = busy ? undefined : afterRead.get(key)?.shift();
      if (!action) return;
      busy = true;
      try {
        await action();
      } finally {
        busy = false;
      }
      await new Promise((ok) => setImmediate(ok)); // the write's live orders have been applied
    };
    const open: LiveClient[] = [];

    before(async () => {
      const made = await kind.make();
      dispose = made.dispose;
      const store = made.store;
      const racing = Object.create(store) as Store;
      racing.getUser = async (id) => {
        const seen = await store.getUser(id);
        await race(`user:${id}`);
        return seen;
      };
      racing.getDisplayByTokenHash = async (hash) => {
        const seen = await store.getDisplayByTokenHash(hash);
        if (seen) await race(`display:${seen.id}`);
        return seen;
      };
      racing.getDisplay = async (id) => {
        const seen = await store.getDisplay(id);
        await race(`display:${id}`);
        return seen;
      };
      server = await startTestServer({ store: racing });
      admin = await new Api(server.url).loginAdmin();
    });
    afterEach(() => {
      afterRead.clear();
      while (open.length) open.pop()?.close();
    });
    after(async () => {
      await server.close();
      await dispose();
    });

    const connect = async (token: string) => {
      const c = await connectLive(server.url, token);
      open.push(c);
      return c;
    };
    const give = (api: Api, to: string, extra: Record<string, unknown> = {}) =>
      api.post('/api/v1/kudos', { recipientIds: [to], behaviourKeys: ['empathize'], message: 'Racing thanks', ...extra });

    it('ends a connection whose user was deactivated while its handshake was being checked', async () => {
      const temp = await buildUser(admin);
      afterRead.set(`user:${temp.user.id}`, [() => admin.patch(`/api/v1/users/${temp.user.id}`, { active: false })]);
      const c = await connect(temp.api.token as string);
      await c.waitFor(() => !c.socket.connected, 1000, 'the connection to end');
      expect(c.got.ended).to.deep.equal([{ reason: 'credentials_changed' }]);
    });

    it('ends a connection whose user signed out during its handshake, and sends it nothing first', async () => {
      const leaving = await buildUser(admin);
      const friend = await buildUser(admin);
      afterRead.set(`user:${leaving.user.id}`, [
        () => leaving.api.post('/api/v1/auth/logout'),
        // While the server checks again, a private kudos for this user is committed and sent.
        () => give(friend.api, leaving.user.id, { visibility: 'private' }),
      ]);
      const c = await connect(leaving.api.token as string);
      await c.waitFor(() => !c.socket.connected, 1000, 'the connection to end');
      expect(c.got.ended).to.deep.equal([{ reason: 'signed_out' }]);
      expect(c.got.created).to.deep.equal([]);
    });

    it('gives an hr user demoted during the handshake none of the private kudos', async () => {
      const hr = await buildUser(admin, { role: 'hr' });
      const [a, b] = [await buildUser(admin), await buildUser(admin)];
      afterRead.set(`user:${hr.user.id}`, [() => admin.patch(`/api/v1/users/${hr.user.id}`, { role: 'employee' })]);
      const c = await connect(hr.api.token as string);
      await c.waitFor(() => !c.socket.connected, 1000, 'the connection to end');
      expect(c.got.ended).to.deep.equal([{ reason: 'credentials_changed' }]);
      await give(a.api, b.user.id, { visibility: 'private' });
      await sleep(100);
      expect(c.got.created).to.deep.equal([]);
    });

    it('cuts a display revoked while its handshake was being checked, before sending it anything', async () => {
      const display = (await admin.post('/api/v1/displays', { name: 'Racing TV' })).body;
      const [a, b] = [await buildUser(admin), await buildUser(admin)];
      afterRead.set(`display:${display.id}`, [
        () => admin.delete(`/api/v1/displays/${display.id}`),
        () => give(a.api, b.user.id),
      ]);
      const d = await connect(display.token);
      await d.waitFor(() => !d.socket.connected, 1000, 'the connection to end');
      expect(d.got.ended).to.deep.equal(['display:revoked']);
      expect(d.got.created).to.deep.equal([]);
    });

    it('cuts a display re-pointed at another team while its handshake was being checked, before sending it the old team', async () => {
      const display = (await admin.post('/api/v1/displays', { name: 'Moving TV', team: 'Support' })).body;
      const [a, b] = [await buildUser(admin, { team: 'Support' }), await buildUser(admin, { team: 'Support' })];
      afterRead.set(`display:${display.id}`, [
        () => admin.patch(`/api/v1/displays/${display.id}`, { team: 'Elsewhere' }),
        () => give(a.api, b.user.id),
      ]);
      const d = await connect(display.token);
      await d.waitFor(() => !d.socket.connected, 1000, 'the connection to end');
      expect(d.got.ended).to.deep.equal(['display:changed']);
      expect(d.got.created).to.deep.equal([]);
    });

    it('keeps a connection whose credential still holds, and a cut during the re-check still reaches it', async () => {
      const stays = await buildUser(admin);
      const other = await buildUser(admin);
      const c = await connect(stays.api.token as string);
      const k = (await give(other.api, stays.user.id, { visibility: 'private' })).body;
      await c.waitFor(() => c.got.created.some((x) => x.id === k.id), 3000, 'the private kudos');
      // The handshake's read sees the user as is; the deactivation lands during the second read.
      const late = await buildUser(admin);
      afterRead.set(`user:${late.user.id}`, [async () => {}, () => admin.patch(`/api/v1/users/${late.user.id}`, { active: false })]);
      const l = await connect(late.api.token as string);
      await l.waitFor(() => !l.socket.connected, 1000, 'the connection to end');
      expect(l.got.ended).to.deep.equal([{ reason: 'credentials_changed' }]);
    });
  });
}
