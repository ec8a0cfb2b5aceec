/**
 * Mocha global fixture: decides once per run whether the mongo adapter can be tested.
 * MONGODB_URI wins; otherwise mongodb-memory-server gets one try. The outcome is published in
 * SHINE_TEST_MONGO_URI (usable) or SHINE_TEST_MONGO_SKIP (reason), and a skip is announced loudly
 * at the start and again at the end of the run.
 */
// Before any of our modules load: some decide at load time (e.g. freezing cached reads in tests).
process.env.NODE_ENV = 'test';

const LOUD = (reason: string) =>
  `\n${'!'.repeat(78)}\n!!! mongo adapter: SKIPPED (${reason})\n${'!'.repeat(78)}\n`;

let stopMemoryServer: (() => Promise<unknown>) | null = null;

async function tryMemoryServer(): Promise<string> {
  const { MongoMemoryServer } = await import('mongodb-memory-server');
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('mongodb-memory-server did not start within 20 s')), 20_000).unref(),
  );
  const server = await Promise.race([MongoMemoryServer.create(), timeout]);
  stopMemoryServer = () => server.stop();
  return server.getUri();
}

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.SHINE_TEST_MONGO_URI || process.env.SHINE_TEST_MONGO_SKIP) return;
  if (process.env.MONGODB_URI) {
    process.env.SHINE_TEST_MONGO_URI = process.env.MONGODB_URI;
    return;
  }
  if (process.env.SHINE_SKIP_MONGO_MEMORY_SERVER === '1') {
    process.env.SHINE_TEST_MONGO_SKIP = 'SHINE_SKIP_MONGO_MEMORY_SERVER=1 and no MONGODB_URI';
  } else {
    try {
      process.env.SHINE_TEST_MONGO_URI = await tryMemoryServer();
    } catch (err) {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      process.env.SHINE_TEST_MONGO_SKIP = `no MONGODB_URI and mongodb-memory-server could not start: ${msg}`;
    }
  }
  if (process.env.SHINE_TEST_MONGO_SKIP) console.log(LOUD(process.env.SHINE_TEST_MONGO_SKIP));
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (stopMemoryServer) await stopMemoryServer();
  if (process.env.SHINE_TEST_MONGO_SKIP) console.log(LOUD(process.env.SHINE_TEST_MONGO_SKIP));
}
