import { describe, it } from 'mocha';
import { expect } from 'chai';
import Database from '../../src/store/sqlite/driver.js';
import fc from 'fast-check';
import { IsoReader } from '../../src/store/sqlite/iso-ms.js';
import { RefsParser } from '../../src/store/sqlite/sqlite-pairs.refs.js';
import { scoreRefs, SeqNames } from '../../src/store/sqlite/sqlite-score-refs.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('IsoReader: timestamps read by position', () => {
  it('gives what Date.parse gives for every toISOString() form', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('0000-01-01T00:00:00.000Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(new IsoReader().at(bytes(iso), 0)).to.equal(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('never disagrees with Date.parse: any other canonical-looking text gives the same or NaN', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc.tuple(fc.integer({ min: 0, max: 9999 }), two(99), two(99), two(99), two(99), two(99), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`);
    fc.assert(
      fc.property(text, (s) => {
        const got = new IsoReader().at(bytes(s), 0);
        if (!Number.isNaN(got)) expect(got, s).to.equal(Date.parse(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads from inside a longer run of bytes, remembering the day between calls', () => {
    const run = bytes('x2026-01-31T23:59:59.999Z2026-01-31T00:00:00.000Z2026-02-01T00:00:00.000Z');
    const iso = new IsoReader();
    expect([1, 25, 49].map((o) => iso.at(run, o))).to.deep.equal(
      ['2026-01-31T23:59:59.999Z', '2026-01-31T00:00:00.000Z', '2026-02-01T00:00:00.000Z'].map(Date.parse),
    );
  });

  it('says NaN for text that is not the canonical form', () => {
    for (const s of ['2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00.000+', '2026-1-01T00:00:00.000Z0', '2026-01-01T00:00:00Z....',
      '2026-13-01T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T00:60:00.000Z', '２026-01-01T00:00:00.000Z']) {
      expect(new IsoReader().at(bytes(s), 0), s).to.be.NaN;
    }
  });
});

describe('RefsParser: a slice read through score_refs', () => {
  function parserWith(users: string[], behaviours: string[]): RefsParser {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE users (id TEXT, seq INTEGER); CREATE TABLE behaviours (key TEXT, seq INTEGER)');
    users.forEach((id, i) => db.prepare('INSERT INTO users VALUES (?, ?)').run(id, i + 1));
    behaviours.forEach((key, i) => db.prepare('INSERT INTO behaviours VALUES (?, ?)').run(key, i + 1));
    return new RefsParser(new SeqNames(db, 'users'), new SeqNames(db, 'behaviours'));
  }

  const T1 = '2026-03-01T09:00:00.000Z';
  const T2 = '2026-03-01T09:00:01.500Z';
  const row = (records: string[], ids = records.map((_, i) => `K${i + 1}`)) => ({
    n: records.length,
    ids: bytes(ids.join('\x1f')),
    facts: bytes(records.join('\x1e')),
  });

  it('turns records into a batch with its own small dictionaries', () => {
    const parser = parserWith(['ann', 'bob', 'cy'], ['b1', 'b2']);
    const slice = parser.parse(row([`${T1}${scoreRefs(3, [1, 2], [2, 1])}`, `${T2}${scoreRefs(1, [3], [2, 1])}`, `${T2}1;`]));
    const b = slice!.batch;
    expect(slice!.lastAt).to.equal(T2);
    expect(b.people).to.deep.equal(['cy', 'ann', 'bob']);
    expect([...b.giver]).to.deep.equal([0, 1, 1]);
    expect([...b.recipient]).to.deep.equal([1, 2, 0]);
    expect([...b.firstPair]).to.deep.equal([0, 2, 3, 3]);
    expect([...b.recipientCount]).to.deep.equal([2, 1, 0]);
    expect(b.behaviourLists).to.deep.equal([['b2', 'b1'], []]);
    expect([...b.behaviours]).to.deep.equal([0, 0, 1]);
    expect([...b.createdAtMs]).to.deep.equal([Date.parse(T1), Date.parse(T2), Date.parse(T2)]);
    expect(Buffer.from(b.kudosIds).toString()).to.equal('K1\x1fK2\x1fK3');
  });

  it('starts every batch with fresh dictionaries', () => {
    const parser = parserWith(['ann', 'bob', 'cy'], ['b1']);
    parser.parse(row([`${T1}3,1;1`]));
    const b = parser.parse(row([`${T1}2,1;1`]))!.batch;
    expect(b.people).to.deep.equal(['bob', 'ann']);
    expect([...b.giver, ...b.recipient]).to.deep.equal([0, 1]);
  });

  it('gives up (null) on anything it cannot read exactly, so the slice is read through the id lists', () => {
    const parser = parserWith(['ann', 'bob'], ['b1']);
    const bad: [string, ReturnType<typeof row>][] = [
      ['a kudos without score_refs drops out of the aggregate', { ...row([`${T1}1,2;1`]), n: 2 }],
      ['a timestamp in another form', row(['2026-03-01 09:00:00Z1,2;1'])],
      ['a person with no number', row([`${T1}1,7;1`])],
      ['a behaviour with no number', row([`${T1}1,2;9`])],
      ['seq 0', row([`${T1}0,2;1`])],
      ['no semicolon', row([`${T1}1,2`])],
      ['an empty recipient', row([`${T1}1,,2;1`])],
      ['a stray character', row([`${T1}1,2;1x`])],
      ['a number too large', row([`${T1}1,99999999999999;1`])],
      ['a number beyond any headcount', row([`${T1}1,${2 ** 24 + 1};1`])],
      ['more text than kudos', { ...row([`${T1}1,2;1`, `${T1}1,2;1`]), n: 1 }],
    ];
    for (const [why, r] of bad) expect(parser.parse(r), why).to.equal(null);
    expect(parser.parse(row([`${T1}1,2;1`]))).to.not.equal(null);
  });

  it('writes nothing when any number is missing', () => {
    expect(scoreRefs(1, [2, 3], [4])).to.equal('1,2,3;4');
    expect(scoreRefs(1, [], [])).to.equal('1;');
    expect(scoreRefs(1, [null], [4])).to.equal(null);
    expect(scoreRefs(undefined, [2], [4])).to.equal(null);
    expect(scoreRefs(1, [2], [undefined])).to.equal(null);
  });
});
