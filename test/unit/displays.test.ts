import { expect } from 'chai';
import { NotFoundError } from '../../src/domain/errors.js';
import { createDisplay, revokeDisplay } from '../../src/domain/displays.js';
import { silentLive, type Deps } from '../../src/domain/deps.js';
import type { User } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';
import { availableStores } from '../support/stores.js';

for (const kind of availableStores()) {
  describe(`revokeDisplay [${kind.name}]`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    const admin = { id: 'admin-1', role: 'admin' } as User;

    beforeEach(async () => ({ store, dispose } = await kind.make()));
    afterEach(() => dispose());

    it('answers 404 and audits nothing when another request revoked the display after it was read', async () => {
      const clock = { now: () => Date.parse('2030-01-01T00:00:00Z') };
      const { display } = await createDisplay({ store, clock, live: silentLive }, admin, { name: 'Lobby' });
      // Another process (or a request on another event-loop turn) revokes between this request's read and write.
      const racing = Object.create(store) as Store;
      racing.getDisplay = async (id) => {
        const seen = await store.getDisplay(id);
        await store.revokeDisplay(id, '2030-01-01T00:00:01.000Z');
        return seen;
      };
      const cut: string[] = [];
      const deps: Deps = { store: racing, clock, live: { ...silentLive, disconnectDisplay: (id) => cut.push(id) } };
      let thrown: unknown;
      await revokeDisplay(deps, admin, display.id).catch((err: unknown) => (thrown = err));
      expect(thrown).to.be.instanceOf(NotFoundError);
      const audit = await store.auditPage({ limit: 10 });
      expect(audit.items.map((e) => e.action)).to.deep.equal(['display.created']);
      expect(cut).to.deep.equal([]);
    });
  });
}
