import { expect } from 'chai';
import { syncIndexesOf } from '../../src/store/mongo/mongo-models.js';

/** A model whose syncIndexes fails with each of `failures` in turn, then succeeds. */
function model(failures: unknown[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    syncIndexes: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return [];
    },
  };
}

describe('mongo adapter: building indexes at start (no server needed)', () => {
  it('compares again when another starting process dropped an index first (IndexNotFound)', async () => {
    const m = model([Object.assign(new Error('index not found with name [legacy_1]'), { code: 27 })]);
    await syncIndexesOf(m);
    expect(m.calls).to.equal(2);
  });

  it('lets any other failure through, unchanged and without a second try', async () => {
    const failure = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    const m = model([failure]);
    const outcome = await syncIndexesOf(m).then(() => null, (err: unknown) => err);
    expect(outcome).to.equal(failure);
    expect(m.calls).to.equal(1);
  });
});
