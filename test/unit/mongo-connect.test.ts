import { expect } from 'chai';
import mongoose from 'mongoose';
import { connectOptions } from '../../src/store/mongo/mongo.store.js';

describe('mongo adapter: connection options (no server needed)', () => {
  it('reads from the primary even when the URI asks for secondaries', async () => {
    // Nothing listens there: the driver has resolved URI and options by the time connecting fails.
    const uri = 'mongodb://127.0.0.1:1/shine?readPreference=secondaryPreferred';
    const conn = mongoose.createConnection();
    try {
      await conn.openUri(uri, connectOptions({ uri, serverSelectionTimeoutMS: 100 })).catch(() => undefined);
      expect(conn.getClient().options.readPreference.mode).to.equal('primary');
    } finally {
      await conn.close();
    }
  });
});
