import { expect } from 'chai';
import { newId } from '../../src/domain/ids.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('newId (ULID layout)', () => {
  it('is 26 Crockford base32 characters whose first ten encode the time', () => {
    const ms = Date.UTC(2026, 10, 23, 12, 0, 0);
    const id = newId(ms + 10_000_000); // later than any id minted so far in this process
    expect(id).to.match(ULID);
    const decoded = [...id.slice(0, 10)].reduce((t, c) => t * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    expect(decoded).to.equal(ms + 10_000_000);
  });

  it('sorts in creation order, within a millisecond and across them, and never repeats', () => {
    const base = Date.now() + 20_000_000;
    // Far more ids than one draw of random bytes serves, so the pool is refilled on the way.
    const ids = Array.from({ length: 5000 }, (_, i) => newId(base + Math.floor(i / 7)));
    expect([...ids].sort()).to.deep.equal(ids);
    expect(new Set(ids).size).to.equal(ids.length);
    ids.forEach((id) => expect(id).to.match(ULID));
  });

  it('stays monotonic when the clock steps back', () => {
    const later = newId(Date.now() + 30_000_000);
    const earlier = newId(Date.now());
    expect(earlier > later).to.equal(true);
  });

  it('draws fresh randomness for every new millisecond', () => {
    const base = Date.now() + 40_000_000;
    const tails = Array.from({ length: 300 }, (_, i) => newId(base + i).slice(10));
    // Consecutive tails would be increments of one another if the randomness were reused.
    expect(new Set(tails.map((t) => t.slice(0, 8))).size).to.be.greaterThan(290);
  });
});
