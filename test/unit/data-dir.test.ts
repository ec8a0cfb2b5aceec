import { expect } from 'chai';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { resolveJwtSecret } from '../../src/auth/jwt-secret.js';
import { createStore } from '../../src/store/create-store.js';
import { useTempDir } from '../support/temp-dir.js';

describe('data directory', () => {
  const root = useTempDir('shine-data-dir-');

  // It holds password hashes, private kudos and the generated JWT secret: other local users
  // must not be able to list it or read the database in it.
  it('is created readable by Shine\'s user only, by the store', async () => {
    const dataDir = root('data');
    const store = createStore({ mongodbUri: null, dataDir, sqliteSynchronous: 'NORMAL', sqliteWriter: 'auto', redisUrl: null });
    try {
      expect(statSync(dataDir).mode & 0o777).to.equal(0o700);
    } finally {
      await store.close();
    }
  });

  it('is created readable by Shine\'s user only, by the generated JWT secret', () => {
    const dataDir = root('data');
    resolveJwtSecret(null, dataDir);
    expect(statSync(dataDir).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).to.equal(0o600);
  });
});
