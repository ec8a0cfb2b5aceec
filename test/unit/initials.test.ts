import { expect } from 'chai';
import { initials } from '../../src/domain/initials.js';

describe('avatar initials', () => {
  it('takes the first letter or digit of the first and last word, whole graphemes', () => {
    expect(initials('Ada Lovelace')).to.equal('AL');
    expect(initials('  cher  ')).to.equal('C');
    expect(initials('Jean-Luc de la Tour')).to.equal('JT');
    expect(initials('-2 Minus')).to.equal('2M');
    expect(initials('"Quoted" (Name)')).to.equal('QN');
    expect(initials('Ünïcødé Ærøskøbing')).to.equal('ÜÆ');
    // A letter with a combining accent is one grapheme: never cut in half.
    expect(initials('E\u0301mile Zola')).to.equal('E\u0301Z');
    expect(initials('🙂 Smiley')).to.equal('🙂S');
    expect(initials('')).to.equal('');
  });
});
