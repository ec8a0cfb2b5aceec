import { expect } from 'chai';
import { mongo } from 'mongoose';
import { ConflictError, NotFoundError, StoreUnavailableError } from '../../src/domain/errors.js';
import {
  duplicateKeyFields, guard, isDuplicateKeyError, translateMongoError,
} from '../../src/store/mongo/mongo-errors.js';
import { MongoStore } from '../../src/store/mongo/mongo.store.js';

/** A duplicate-key error as the driver builds it from a server reply. */
function duplicateKey(collection: string, index: string, keyPattern?: Record<string, number>): mongo.MongoServerError {
  const keyValue = keyPattern ? Object.fromEntries(Object.keys(keyPattern).map((k) => [k, 'x'])) : undefined;
  return new mongo.MongoServerError({
    message: `E11000 duplicate key error collection: shine.${collection} index: ${index} dup key: { }`,
    code: 11000,
    codeName: 'DuplicateKey',
    ...(keyPattern ? { keyPattern, keyValue } : {}),
  });
}

function expectConflict(err: unknown, field: string, code: string, cause: unknown): void {
  expect(err).to.be.instanceOf(ConflictError);
  const c = err as ConflictError;
  expect(c.field).to.equal(field);
  expect(c.code).to.equal(code);
  expect(c.status).to.equal(409);
  expect(c.details).to.deep.equal([{ path: field, message: c.message }]);
  expect(c.cause).to.equal(cause);
}

describe('mongo adapter: driver error translation', () => {
  it('maps a duplicate email to ConflictError(email, email_taken), keeping the driver error as cause', () => {
    const driver = duplicateKey('users', 'email_1', { email: 1 });
    expectConflict(translateMongoError(driver, { what: 'user' }), 'email', 'email_taken', driver);
  });

  it('names the clashing field of a compound index, not its scope', () => {
    const driver = duplicateKey('kudos', 'giverId_1_idempotencyKey_1', { giverId: 1, idempotencyKey: 1 });
    expectConflict(translateMongoError(driver), 'idempotencyKey', 'duplicate_idempotency_key', driver);
  });

  it('reports a clash on _id under the domain name of that id', () => {
    const behaviour = duplicateKey('behaviours', '_id_', { _id: 1 });
    const onKey = translateMongoError(behaviour, { idField: 'key', what: 'behaviour' });
    expectConflict(onKey, 'key', 'behaviour_exists', behaviour);
    const kudos = duplicateKey('kudos', '_id_', { _id: 1 });
    const err = translateMongoError(kudos, { what: 'kudos' });
    expectConflict(err, 'id', 'conflict', kudos);
    expect((err as ConflictError).message).to.equal('A kudos with this id already exists.');
  });

  it('maps a duplicate display token hash to a conflict on tokenHash', () => {
    const driver = duplicateKey('displays', 'tokenHash_1', { tokenHash: 1 });
    expectConflict(translateMongoError(driver), 'tokenHash', 'conflict', driver);
  });

  it('falls back to the index name in the message when the server sends no keyPattern', () => {
    const compound = duplicateKey('kudos', 'giverId_1_idempotencyKey_1');
    expect(duplicateKeyFields(compound)).to.deep.equal(['giverId', 'idempotencyKey']);
    expectConflict(translateMongoError(compound), 'idempotencyKey', 'duplicate_idempotency_key', compound);
    expect(duplicateKeyFields(duplicateKey('kudos', 'createdAt_-1__id_-1'))).to.deep.equal(['createdAt', '_id']);
    expect(duplicateKeyFields(duplicateKey('users', '_id_'))).to.deep.equal(['_id']);
  });

  it('maps network, server-selection and stepped-down-primary errors to StoreUnavailableError', async () => {
    // A genuine selection failure from the driver: nothing listens on port 1.
    const client = new mongo.MongoClient('mongodb://127.0.0.1:1/x', { serverSelectionTimeoutMS: 200 });
    const selection = await client.connect().then(
      () => expect.fail('connected to port 1'),
      (err: unknown) => err as Error,
    );
    await client.close();
    expect(selection).to.be.instanceOf(mongo.MongoServerSelectionError);
    const failures: Error[] = [
      new mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'),
      new mongo.MongoNetworkTimeoutError('connection timed out'),
      selection,
      new mongo.MongoNotConnectedError('Client must be connected before running operations'),
      new mongo.MongoTopologyClosedError(),
      new mongo.MongoServerError({ message: 'not primary', code: 10107, codeName: 'NotWritablePrimary' }),
      new mongo.MongoServerError({ message: 'shutting down', code: 91, codeName: 'ShutdownInProgress' }),
      new mongo.MongoServerError({ message: 'not master', code: 10058, codeName: 'LegacyNotPrimary' }),
      new mongo.MongoServerError({ message: 'operation exceeded time limit', code: 262, codeName: 'ExceededTimeLimit' }),
      // A failover error under a code of its own, known only by the label the server gave it.
      new mongo.MongoServerError({ message: 'election in progress', code: 999_999, errorLabels: ['RetryableWriteError'] }),
      // What withTransaction gives up on: a write conflict or failover it kept retrying, a commit of unknown outcome.
      new mongo.MongoServerError({ message: 'WriteConflict', code: 112, errorLabels: ['TransientTransactionError'] }),
      new mongo.MongoServerError({ message: 'commit outcome unknown', code: 64, errorLabels: ['UnknownTransactionCommitResult'] }),
    ];
    for (const failure of failures) {
      const err = translateMongoError(failure);
      expect(err, failure.name).to.be.instanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).status).to.equal(503);
      expect((err as StoreUnavailableError).code).to.equal('store_unavailable');
      expect((err as StoreUnavailableError).cause).to.equal(failure);
    }
  });

  it('leaves domain errors and unrecognised driver errors unchanged', () => {
    const domain = new NotFoundError('kudos');
    expect(translateMongoError(domain)).to.equal(domain);
    const badValue = new mongo.MongoServerError({ message: 'bad value', code: 2, codeName: 'BadValue' });
    expect(translateMongoError(badValue)).to.equal(badValue);
    const bug = new TypeError('x is undefined');
    expect(translateMongoError(bug)).to.equal(bug);
    expect(isDuplicateKeyError(badValue)).to.equal(false);
    expect(isDuplicateKeyError(null)).to.equal(false);
  });

  it('guard() passes results through and rethrows failures translated', async () => {
    expect(await guard(async () => 42)).to.equal(42);
    const driver = duplicateKey('users', 'email_1', { email: 1 });
    let caught: unknown = null;
    try {
      await guard(async () => {
        throw driver;
      });
    } catch (err) {
      caught = err;
    }
    expectConflict(caught, 'email', 'email_taken', driver);
  });
});

describe('mongo adapter: an unreachable database', () => {
  // Nothing listens on port 1, so every attempt is refused; the short selection timeout bounds the wait.
  const uri = 'mongodb://127.0.0.1:1/shine_unreachable';

  it('init() fails fast with StoreUnavailableError and ping() answers false', async function () {
    this.timeout(10_000);
    const store = new MongoStore({ uri, serverSelectionTimeoutMS: 300 });
    try {
      const started = Date.now();
      let caught: unknown = null;
      try {
        await store.init();
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(StoreUnavailableError);
      expect((caught as StoreUnavailableError).cause).to.be.instanceOf(Error);
      expect(Date.now() - started).to.be.below(5_000);
      expect(await store.ping()).to.equal(false);
      // A failed init can be retried, and fails the same way.
      let again: unknown = null;
      await store.init().catch((err: unknown) => {
        again = err;
      });
      expect(again).to.be.instanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('operations on a store that never connected fail with StoreUnavailableError, not a hang', async () => {
    const store = new MongoStore({ uri, serverSelectionTimeoutMS: 300 });
    try {
      expect(await store.ping()).to.equal(false);
      let caught: unknown = null;
      await store.getUser('u1').catch((err: unknown) => {
        caught = err;
      });
      expect(caught).to.be.instanceOf(StoreUnavailableError);
      // Saving rules starts a session first; that must not wait for a first connection either.
      const rules = { allowancePerPeriod: null, repeatPairDamping: 0.5, groupSplit: 'sqrt' as const, minDistinctGivers: 1, reciprocalThreshold: 0.8, reciprocalPenalty: 0.5, tiers: [] };
      const started = Date.now();
      const saved = await store.saveRules(rules, { kind: 1 }).then(() => null, (err: unknown) => err);
      expect(saved).to.be.instanceOf(StoreUnavailableError);
      expect(Date.now() - started).to.be.below(2_000);
      let streamed: unknown = null;
      try {
        for await (const batch of store.periodPairBatches('2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')) {
          expect.fail(`unexpected batch of ${batch.kudosCount} kudos`);
        }
      } catch (err) {
        streamed = err;
      }
      expect(streamed).to.be.instanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
