import { expect } from 'chai';
import { mongo } from 'mongoose';
import { nameKey } from '../../src/domain/name-key.js';
import type { UserDoc } from '../../src/store/mongo/mongo-documents.js';
import { CANDIDATES, rekeyUserNames } from '../../src/store/mongo/mongo-name-keys.js';
import type { Models } from '../../src/store/mongo/mongo-models.js';
import { atRandomInstant, seededRandom } from '../support/seeded-random.js';

type KeyDoc = Pick<UserDoc, '_id' | 'name' | 'nameKey'>;
interface Update { updateOne: { filter: KeyDoc; update: { $set: { nameKey: string } } } }

/**
 * The users calls the backfill makes, over an in-memory collection. Each call takes effect at a
 * random instant between its request and its answer, so concurrent runs interleave differently
 * for every seed. `afterFind` lets a test change the collection between a read and its write.
 */
function fakeUsers(random: () => number, docs: KeyDoc[]) {
  const users = new Map(docs.map((d) => [d._id, { ...d }]));
  const calls = { read: [] as string[], bulkWrites: 0 };
  const hooks: { afterFind?: () => void; bulkWrite?: Error } = {};
  const op = atRandomInstant(random);
  const pattern = new RegExp(CANDIDATES.nameKey.$regex);
  const stand = {
    find: (filter: { nameKey: { $regex: string }; _id?: { $gt: string } }, projection: Record<string, 1>) => ({
      sort: (spec: Record<string, 1>) => ({
        limit: (n: number) => ({
          lean: () =>
            op(() => {
              expect(filter.nameKey).to.deep.equal(CANDIDATES.nameKey);
              expect(projection).to.deep.equal({ name: 1, nameKey: 1 });
              expect(spec).to.deep.equal({ _id: 1 });
              const after = filter._id?.$gt;
              const page = [...users.values()]
                .filter((d) => pattern.test(d.nameKey) && (after === undefined || d._id > after))
                .sort((a, b) => (a._id < b._id ? -1 : 1))
                .slice(0, n)
                .map((d) => ({ ...d }));
              calls.read.push(...page.map((d) => d._id));
              hooks.afterFind?.();
              return page;
            }),
        }),
      }),
    }),
    bulkWrite: (ops: Update[], options: { ordered: boolean }) =>
      op(() => {
        expect(options.ordered).to.equal(false);
        if (hooks.bulkWrite) throw hooks.bulkWrite;
        calls.bulkWrites++;
        let modifiedCount = 0;
        for (const { updateOne: { filter, update } } of ops) {
          const d = users.get(filter._id);
          if (!d || d.name !== filter.name || d.nameKey !== filter.nameKey) continue;
          if (d.nameKey !== update.$set.nameKey) modifiedCount++;
          d.nameKey = update.$set.nameKey;
        }
        return { modifiedCount };
      }),
  };
  return { users: stand as unknown as Models['users'], docs: users, calls, hooks };
}

/** Users as an older build stored them (key = lower-cased name), some of which need re-keying. */
function oldUsers(): KeyDoc[] {
  const names = ['Émile Zola', 'alice', 'Renée Dubois', 'Søren', 'Bob', 'Zoë', 'E\u0301lodie', '王小明', 'Ångström', 'ﬁona', 'dave'];
  return names.map((name, i) => ({ _id: `u${String(i).padStart(2, '0')}`, name, nameKey: name.toLowerCase() }));
}

const STALE = oldUsers().filter((d) => nameKey(d.name) !== d.nameKey).length;

describe('mongo adapter: re-keying stored names at init (no server needed)', () => {
  it('rewrites every stale key across batches, reads only non-ASCII keys, and is a no-op the second time', async () => {
    const f = fakeUsers(seededRandom(1), oldUsers());
    expect(STALE).to.equal(6);
    expect(await rekeyUserNames(f.users, 2)).to.equal(STALE);
    for (const d of f.docs.values()) expect(d.nameKey, d.name).to.equal(nameKey(d.name));
    const ascii = oldUsers().filter((d) => /^[\x00-\x7f]*$/.test(d.nameKey)).map((d) => d._id);
    expect(f.calls.read.filter((id) => ascii.includes(id))).to.deep.equal([]);

    // A later start reads the few keys that stay non-ASCII (ø, CJK) and writes nothing.
    const writes = f.calls.bulkWrites;
    f.calls.read.length = 0;
    expect(await rekeyUserNames(f.users, 2)).to.equal(0);
    expect(f.calls.bulkWrites).to.equal(writes);
    expect(f.calls.read.sort()).to.deep.equal(['u03', 'u07']);
  });

  it('converges when several processes start at once: each key written once, none left stale', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const f = fakeUsers(seededRandom(seed), oldUsers());
      const counts = await Promise.all([1, 2, 3, 4].map((batch) => rekeyUserNames(f.users, batch)));
      expect(counts.reduce((a, b) => a + b, 0), `seed ${seed}`).to.equal(STALE);
      for (const d of f.docs.values()) expect(d.nameKey, `seed ${seed}: ${d.name}`).to.equal(nameKey(d.name));
    }
  });

  it('does not overwrite a rename that lands between its read and its write', async () => {
    const f = fakeUsers(seededRandom(3), oldUsers());
    f.hooks.afterFind = () => {
      // A current-build rename of u00 ("Émile Zola"), which writes name and key together.
      Object.assign(f.docs.get('u00') as KeyDoc, { name: 'Émilie Zola', nameKey: nameKey('Émilie Zola') });
      delete f.hooks.afterFind;
    };
    expect(await rekeyUserNames(f.users, 100)).to.equal(STALE - 1);
    expect(f.docs.get('u00')).to.deep.equal({ _id: 'u00', name: 'Émilie Zola', nameKey: 'emilie zola' });
  });

  it('fails (so init fails and is retried) when a write fails, and finishes on the retry', async () => {
    const f = fakeUsers(seededRandom(4), oldUsers());
    f.hooks.bulkWrite = new mongo.MongoNetworkError('connection reset');
    const err = await rekeyUserNames(f.users, 2).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(mongo.MongoNetworkError);
    delete f.hooks.bulkWrite;
    expect(await rekeyUserNames(f.users, 2)).to.equal(STALE);
    for (const d of f.docs.values()) expect(d.nameKey).to.equal(nameKey(d.name));
  });
});
