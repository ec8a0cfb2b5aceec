import { expect } from 'chai';
import { gini } from '../../src/domain/insights.js';

describe('gini', () => {
  it('is 0 for an even spread, for nobody and for one person', () => {
    expect(gini([5, 5, 5, 5])).to.equal(0);
    expect(gini([0, 0, 0])).to.equal(0);
    expect(gini([])).to.equal(0);
    expect(gini([7])).to.equal(0);
  });
  it('grows as recognition concentrates: (n−1)/n when one of n gets everything', () => {
    expect(gini([0, 0, 0, 10])).to.equal(0.75);
    expect(gini([10, 0])).to.equal(0.5);
    // sorted 1,2,3,4: 2·(1+4+9+16)/(4·10) − 5/4 = 0.25
    expect(gini([4, 1, 3, 2])).to.equal(0.25);
  });
});
