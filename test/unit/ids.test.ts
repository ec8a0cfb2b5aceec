import { expect } from 'chai';
import { idGenerator } from '../../src/domain/ids.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const decodeTime = (id: string) => [...id.slice(0, 10)].reduce((t, c) => t * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);

describe('newId (ULID layout)', () => {
  it('is 26 Crockford base32 characters whose first ten encode the time', () => {
    const ms = Date.UTC(2026, 10, 23, 12, 0, 0);
    const id = idGenerator()(ms);
    expect(id).to.match(ULID);
    expect(decodeTime(id)).to.equal(ms);
  });

  it('sorts in creation order, within a millisecond and across them, and never repeats', () => {
    const newId = idGenerator();
    const base = Date.UTC(2026, 10, 23);
    // Far more ids than one draw of random bytes serves, so the pool is refilled on the way.
    const ids = Array.from({ length: 5000 }, (_, i) => newId(base + Math.floor(i / 7)));
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(ids.length);
    ids.forEach((id) => expect(id).to.match(ULID));
  });

  it('stays monotonic when the clock steps back', () => {
    const newId = idGenerator();
    const later = newId(Date.UTC(2026, 10, 23, 12));
    const earlier = newId(Date.UTC(2026, 10, 23, 11));
    expect(earlier > later).to.equal(true);
    expect(decodeTime(earlier)).to.equal(Date.UTC(2026, 10, 23, 12));
  });

  it('draws fresh randomness for every new millisecond, generators sharing one pool', () => {
    const [a, b] = [idGenerator(), idGenerator()];
    const base = Date.UTC(2026, 10, 23);
    const tails = Array.from({ length: 300 }, (_, i) => [a(base + i), b(base + i)]).flat().map((id) => id.slice(10));
    // Tails would repeat, or be increments of one another, if randomness were reused.
    expect(new Set(tails.map((t) => t.slice(0, 8))).size).to.be.greaterThan(590);
  });
});
