import { expect } from 'chai';
import { VerifiedTokens } from '../../src/auth/verified-tokens.js';

describe('VerifiedTokens', () => {
  const claims = (sub: string) => ({ sub, tv: 0 });

  it('recognises a remembered token until its own expiry, then forgets it', () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens(10, () => now);
    tokens.remember('a.b.c', claims('u1'), 1_000 + 60);
    expect(tokens.get('a.b.c')).to.deep.equal(claims('u1'));
    now = 1_060_000 - 1;
    expect(tokens.get('a.b.c')).to.deep.equal(claims('u1'));
    now = 1_060_000;
    expect(tokens.get('a.b.c')).to.equal(null);
    expect(tokens.size).to.equal(0);
  });

  it('knows nothing about a token it was not given, even one differing in a single character', () => {
    const tokens = new VerifiedTokens(10, () => 0);
    tokens.remember('a.b.c', claims('u1'), 60);
    expect(tokens.get('a.b.d')).to.equal(null);
  });

  it('forgets expired tokens nobody sends again as new ones come, instead of filling up to its bound', () => {
    let now = 0;
    const tokens = new VerifiedTokens(100, () => now);
    for (let i = 0; i < 50; i++) tokens.remember(`old${i}`, claims(`u${i}`), 60);
    now = 60_000;
    tokens.remember('new', claims('u0'), 120);
    expect(tokens.size).to.equal(1);
    expect(tokens.get('new')).to.deep.equal(claims('u0'));
  });

  it('stays within its bound by dropping the entry remembered first', () => {
    const tokens = new VerifiedTokens(2, () => 0);
    tokens.remember('t1', claims('u1'), 60);
    tokens.remember('t2', claims('u2'), 60);
    tokens.remember('t3', claims('u3'), 60);
    expect(tokens.size).to.equal(2);
    expect(tokens.get('t1')).to.equal(null);
    expect(tokens.get('t2')).to.deep.equal(claims('u2'));
    expect(tokens.get('t3')).to.deep.equal(claims('u3'));
  });
});
