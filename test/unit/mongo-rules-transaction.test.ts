import { expect } from 'chai';
import { mongo, type ClientSession } from 'mongoose';
import { StoreUnavailableError } from '../../src/domain/errors.js';
import type { ScoringRules } from '../../src/domain/types.js';
import type { Models } from '../../src/store/mongo/mongo-models.js';
import { MongoRules } from '../../src/store/mongo/mongo-rules.store.js';
import { inTransactionWherePossible, isTransactionUnsupportedError } from '../../src/store/mongo/mongo-transaction.js';

const RULES: Omit<ScoringRules, 'weights'> = {
  allowancePerPeriod: 10, repeatPairDamping: 0.5, groupSplit: 'sqrt', minDistinctGivers: 3,
  reciprocalThreshold: 0.8, reciprocalPenalty: 0.5, tiers: [],
};

/** What a standalone mongod answers the first command of a transaction. */
function standaloneRefusal(): mongo.MongoServerError {
  return new mongo.MongoServerError({
    message: 'Transaction numbers are only allowed on a replica set member or mongos', code: 20, codeName: 'IllegalOperation',
  });
}

/**
 * Real driver sessions, from a client that never connects: withTransaction's retry, abort and
 * commit logic runs for real, and as the fake models below send no command through the session,
 * the driver needs no server to start, abort or (emptily) commit a transaction.
 */
function driverSessions() {
  const client = new mongo.MongoClient('mongodb://127.0.0.1:1/never', { serverSelectionTimeoutMS: 200 });
  const started: ClientSession[] = [];
  return {
    source: { startSession: async () => { const s = client.startSession(); started.push(s); return s; } },
    started,
    close: () => client.close(),
  };
}

type Call = { op: 'bulkWrite' | 'updateOne'; session: ClientSession | undefined; hasSessionKey: boolean; args: unknown[] };

/**
 * The behaviours and settings calls saveRules makes. `refuse(call)` may return an error for the
 * call to throw, as the server would; the calls that went through are recorded in order.
 */
function fakeModels(refuse: (c: Call) => Error | undefined = () => undefined) {
  const calls: Call[] = [];
  const record = (op: Call['op'], options: { session?: ClientSession }, args: unknown[]) => {
    const c = { op, session: options.session, hasSessionKey: 'session' in options, args };
    const err = refuse(c);
    if (err) throw err;
    calls.push(c);
  };
  const m = {
    behaviours: { bulkWrite: async (ops: unknown, options: { session?: ClientSession }) => record('bulkWrite', options, [ops]) },
    settings: {
      updateOne: async (filter: unknown, update: unknown, options: { session?: ClientSession }) => record('updateOne', options, [filter, update]),
    },
  };
  return { models: m as unknown as Models, calls };
}

describe('mongo adapter: rules and weights in one transaction where the server has them (no server needed)', () => {
  let sessions: ReturnType<typeof driverSessions>;
  beforeEach(() => {
    sessions = driverSessions();
  });
  afterEach(() => sessions.close());

  it('on a replica set or mongos, writes the weights and then the rules with the transaction\'s session', async () => {
    const f = fakeModels();
    const mode = await new MongoRules(f.models, sessions.source).saveRules(RULES, { kind: 3.5 });
    expect(mode).to.equal('transaction');
    expect(f.calls.map((c) => c.op)).to.deep.equal(['bulkWrite', 'updateOne']);
    const [session] = sessions.started;
    expect(f.calls.every((c) => c.session === session)).to.equal(true);
    expect(f.calls[0]?.args[0]).to.deep.equal([{ updateOne: { filter: { _id: 'kind' }, update: { $set: { weight: 3.5 } } } }]);
    expect(f.calls[1]?.args).to.deep.equal([{ _id: 'scoring_rules' }, { $set: { json: JSON.stringify(RULES) } }]);
    expect(session?.hasEnded).to.equal(true);
  });

  it('on a standalone server, which refuses the transaction before writing, runs the same writes in order without a session', async () => {
    // The refusal may arrive wrapped by the bulk API; code and message survive the wrapping.
    const f = fakeModels((c) => (c.session ? new mongo.MongoBulkWriteError(standaloneRefusal(), undefined as never) : undefined));
    const mode = await new MongoRules(f.models, sessions.source).saveRules({ ...RULES, weights: { x: 1 } } as ScoringRules, { kind: 2 });
    expect(mode).to.equal('ordered');
    expect(f.calls.map((c) => [c.op, c.hasSessionKey])).to.deep.equal([['bulkWrite', false], ['updateOne', false]]);
    expect(f.calls[1]?.args[1], 'weights are never stored with the rules').to.deep.equal({ $set: { json: JSON.stringify(RULES) } });
    expect(sessions.started.every((s) => s.hasEnded)).to.equal(true);
  });

  it('skips the bulk write when no weight changes', async () => {
    const f = fakeModels();
    await new MongoRules(f.models, sessions.source).saveRules(RULES);
    expect(f.calls.map((c) => c.op)).to.deep.equal(['updateOne']);
  });

  it('retries the whole transaction on a TransientTransactionError (a write conflict, a failover)', async () => {
    let conflicts = 2;
    const f = fakeModels((c) =>
      c.op === 'updateOne' && conflicts-- > 0
        ? new mongo.MongoServerError({ message: 'WriteConflict', code: 112, errorLabels: ['TransientTransactionError'] })
        : undefined,
    );
    expect(await new MongoRules(f.models, sessions.source).saveRules(RULES, { kind: 2 })).to.equal('transaction');
    // Two aborted attempts got as far as the weights; the third committed both.
    expect(f.calls.map((c) => c.op)).to.deep.equal(['bulkWrite', 'bulkWrite', 'bulkWrite', 'updateOne']);
  });

  it('answers 503 for a failure the transaction does not retry, and never falls back to writing without it', async () => {
    const stepDown = new mongo.MongoServerError({ message: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
    const f = fakeModels((c) => (c.op === 'updateOne' ? stepDown : undefined));
    const err = await new MongoRules(f.models, sessions.source).saveRules(RULES, { kind: 2 }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).cause).to.equal(stepDown);
    expect(f.calls.map((c) => [c.op, c.hasSessionKey])).to.deep.equal([['bulkWrite', true]]);
    expect(sessions.started.every((s) => s.hasEnded)).to.equal(true);
  });

  it('takes only the standalone refusal for "no transactions here": IllegalOperation with other words is an error', async () => {
    expect(isTransactionUnsupportedError(standaloneRefusal())).to.equal(true);
    const other = new mongo.MongoServerError({ message: 'Cannot run command in a transaction', code: 20, codeName: 'IllegalOperation' });
    expect(isTransactionUnsupportedError(other)).to.equal(false);
    expect(isTransactionUnsupportedError({ code: 263, message: standaloneRefusal().message })).to.equal(false);
    expect(isTransactionUnsupportedError(null)).to.equal(false);
    let runs = 0;
    const err = await inTransactionWherePossible(sessions.source, async () => {
      runs++;
      throw other;
    }).then(() => null, (e: unknown) => e);
    expect(err).to.equal(other);
    expect(runs).to.equal(1);
  });
});
