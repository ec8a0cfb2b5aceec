import { expect } from 'chai';
import fc from 'fast-check';
import mongoose, { mongo } from 'mongoose';
import { buildModels } from '../../src/store/mongo/mongo-models.js';
import { literalPattern, userListFilter } from '../../src/store/mongo/mongo-users.store.js';

/** The filter as the server receives it: cast by mongoose, then encoded and decoded as BSON. */
function onTheWire(filter: ReturnType<typeof userListFilter>): Record<string, unknown> {
  const models = buildModels(mongoose.createConnection());
  const query = models.users.find(filter);
  query.cast(models.users);
  const bytes = mongo.BSON.serialize(query.getFilter());
  return mongo.BSON.deserialize(bytes, { bsonRegExp: true });
}

describe('mongo adapter: the directory query (no server needed)', () => {
  it('matches a search text literally, as a JavaScript substring test would', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (needle, hay) => {
        const re = new RegExp(literalPattern(needle));
        expect(re.test(hay + needle)).to.equal(true);
        expect(re.test(hay)).to.equal(hay.includes(needle));
      }),
    );
    expect(new RegExp(literalPattern('a.b')).test('axb')).to.equal(false);
    expect(new RegExp(literalPattern('[a-z]+')).test('q')).to.equal(false);
    expect(new RegExp(literalPattern('\\d')).test('7')).to.equal(false);
  });

  it('sends U+2028, U+2029 and NUL in a form MongoDB accepts: no \\u escape, no raw NUL', () => {
    // A RegExp's source spells U+2028 as "\u2028", which PCRE refuses; the string keeps the character.
    expect(new RegExp('a\u2028b').source).to.equal('a\\u2028b');
    expect(literalPattern('a\u2028b\u2029c')).to.equal('a\u2028b\u2029c');
    expect(literalPattern('a\0b')).to.equal('a\\x00b');
    expect(new RegExp(literalPattern('a\0b')).test('xa\0b')).to.equal(true);
    expect(() => mongo.BSON.serialize({ r: new RegExp('\0') }), 'what the old RegExp did with NUL').to.throw();

    const wire = onTheWire(userListFilter({ q: 'A\u2028\0.', qEmail: true }, { limit: 5 }));
    expect(wire).to.deep.equal({
      $and: [
        { active: true },
        { $or: [{ nameKey: { $regex: 'a\u2028\\x00\\.' } }, { email: { $regex: 'a\u2028\\x00\\.' } }] },
      ],
    });
  });

  it('searches emails only when asked, and pages strictly after the cursor by (nameKey, id)', () => {
    expect(userListFilter({}, { limit: 5 })).to.deep.equal({ $and: [{ active: true }] });
    expect(userListFilter({ includeInactive: true }, { limit: 5 })).to.deep.equal({});
    expect(onTheWire(userListFilter({ q: 'Ann', team: 'Red', includeInactive: true }, { limit: 5, after: { key: 'ann', id: 'u1' } }))).to.deep.equal({
      $and: [
        { team: 'Red' },
        { nameKey: { $regex: 'ann' } },
        { $or: [{ nameKey: { $gt: 'ann' } }, { nameKey: 'ann', _id: { $gt: 'u1' } }] },
      ],
    });
  });

  it('matches names on their folded key and emails on the text lower-cased', () => {
    expect(onTheWire(userListFilter({ q: 'Émile.', qEmail: true }, { limit: 5 }))).to.deep.equal({
      $and: [{ active: true }, { $or: [{ nameKey: { $regex: 'emile\\.' } }, { email: { $regex: 'émile\\.' } }] }],
    });
    expect(onTheWire(userListFilter({ q: 'RENÉE' }, { limit: 5 }))).to.deep.equal({
      $and: [{ active: true }, { nameKey: { $regex: 'renee' } }],
    });
  });
});
