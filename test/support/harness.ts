import { availableStores, type StoreKind } from './stores.js';
import { Api } from './api.js';
import { startTestServer, TestClock, type TestServer } from './server.js';

export interface Harness {
  server: TestServer;
  /** Unauthenticated client */
  anon: Api;
  admin: Api;
  clock: TestClock;
}

/**
 * Registers `body` once per available store adapter, each with a fresh real server, so every
 * HTTP rule is checked against sqlite here and mongo wherever it can run.
 */
export function forEachStore(title: string, body: (h: () => Harness, kind: StoreKind) => void): void {
  for (const kind of availableStores()) {
    describe(`${title} [${kind.name}]`, function () {
      let harness: Harness | null = null;
      let dispose: (() => Promise<void>) | null = null;
      before(async function () {
        const made = await kind.make();
        dispose = made.dispose;
        const clock = new TestClock();
        const server = await startTestServer({ store: made.store, clock });
        const anon = new Api(server.url);
        harness = { server, anon, admin: await anon.loginAdmin(), clock };
      });
      after(async function () {
        if (harness) await harness.server.close();
        if (dispose) await dispose();
      });
      body(() => {
        if (!harness) throw new Error('harness not started');
        return harness;
      }, kind);
    });
  }
}
