import { expect } from 'chai';
import { Api } from '../support/api.js';
import { availableStores } from '../support/stores.js';
import { startTestServer } from '../support/server.js';

describe('health checks when storage goes away', () => {
  it('keeps /healthz at 200 but answers /readyz and API calls with 503 store_unavailable', async () => {
    const sqlite = availableStores().find((k) => k.name === 'sqlite');
    if (!sqlite) throw new Error('the sqlite adapter is always available');
    const { store, dispose } = await sqlite.make();
    const server = await startTestServer({ store });
    try {
      const api = await new Api(server.url).loginAdmin();
      expect((await api.get('/readyz')).status).to.equal(200);
      await store.close();
      expect((await api.get('/healthz')).status).to.equal(200);
      const ready = await api.get('/readyz');
      expect(ready.status).to.equal(503);
      expect(ready.body.error.code).to.equal('store_unavailable');
      const feed = await api.get('/api/v1/kudos');
      expect(feed.status).to.equal(503);
      expect(feed.body.error.code).to.equal('store_unavailable');
    } finally {
      await server.close();
      await dispose().catch(() => {});
    }
  });
});
