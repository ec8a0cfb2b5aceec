import { describe, it } from 'mocha';
import { expect } from 'chai';
import { nameKey } from '../../src/domain/name-key.js';

describe('nameKey: the directory sort and search key', () => {
  it('drops accents and lower-cases, composed or decomposed input alike', () => {
    expect(nameKey('Émile Zola')).to.equal('emile zola');
    expect(nameKey('E\u0301mile')).to.equal('emile');
    expect(nameKey('Renée Dubois')).to.equal('renee dubois');
    expect(nameKey('ÇA VA Ñandú')).to.equal('ca va nandu');
    expect(nameKey('Zoë Šťastná')).to.equal('zoe stastna');
  });

  it('folds compatibility forms (ligatures, full-width) to their plain letters', () => {
    expect(nameKey('ﬁona')).to.equal('fiona');
    expect(nameKey('ＡＢＣ')).to.equal('abc');
  });

  it('keeps letters that are not an accent on another letter, and scripts without case', () => {
    expect(nameKey('Søren Łukasz')).to.equal('søren łukasz');
    expect(nameKey('王小明')).to.equal('王小明');
    expect(nameKey('')).to.equal('');
  });

  it('is idempotent, so a stored key can be compared with a freshly folded one', () => {
    for (const s of ['Émile', 'İstanbul', 'ﬁ', 'Ωmega', 'a\u0308\u0301']) expect(nameKey(nameKey(s))).to.equal(nameKey(s));
  });

  it('leaves any text whose lower-casing is ASCII as that lower-casing (the Mongo backfill relies on it)', () => {
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      const lower = s.toLowerCase();
      if (/^[\x00-\x7f]*$/.test(lower)) expect(nameKey(s), `U+${c.toString(16)}`).to.equal(lower);
    }
  });
});
