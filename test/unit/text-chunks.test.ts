import { expect } from 'chai';
import fc from 'fast-check';
import { mongo } from 'mongoose';
import { CHUNK_UNITS, joinChunks, maxChunkBytes, shapeOf, splitText } from '../../src/store/mongo/text-chunks.js';

/** No lone surrogate (String.prototype.isWellFormed, which this TypeScript lib does not declare yet). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

const BSON_DOCUMENT_CAP = 16 * 1024 * 1024;

/** A text as it comes back from MongoDB: encoded to BSON (UTF-8) and decoded. */
function throughBson(text: string): string {
  return (mongo.BSON.deserialize(mongo.BSON.serialize({ text })) as { text: string }).text;
}

function chunked(text: string, maxUnits: number) {
  const pieces = splitText(text, maxUnits);
  return { pieces, chunks: pieces.map((t, index) => ({ index, text: t })), shape: shapeOf(pieces) };
}

describe('text chunks for MongoDB snapshot documents (no server needed)', () => {
  it('joins back to the exact text, every piece within the limit, never splitting a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.integer({ min: 2, max: 9 }), (text, maxUnits) => {
        const { pieces, chunks, shape } = chunked(text, maxUnits);
        expect(joinChunks(chunks, shape, 'text')).to.equal(text);
        for (const p of pieces) {
          expect(p.length).to.be.within(1, maxUnits);
          // Well-formed text stays well-formed piece by piece, so each survives UTF-8 (BSON) intact.
          expect(wellFormed(p)).to.equal(true);
          expect(throughBson(p)).to.equal(p);
        }
      }),
    );
  });

  it('moves a boundary that falls inside a surrogate pair back by one unit', () => {
    // '😀' is two code units; a 3-unit cut after 'ab' would take only its first half.
    expect(splitText('ab😀c', 3)).to.deep.equal(['ab', '😀c']);
    expect(splitText('😀😀😀', 3)).to.deep.equal(['😀', '😀', '😀']);
    expect(splitText('a😀😀', 2)).to.deep.equal(['a', '😀', '😀']);
    // Multi-byte BMP characters (é, €, 中) are one unit each and never need moving.
    expect(splitText('é€中é€中', 4)).to.deep.equal(['é€中é', '€中']);
  });

  it('cuts where it may around lone surrogates, changing nothing (there is no pair to keep whole)', () => {
    const text = 'a\uD800b\uDC00\uD800';
    const { pieces, chunks, shape } = chunked(text, 2);
    expect(pieces).to.deep.equal(['a\uD800', 'b\uDC00', '\uD800']);
    expect(joinChunks(chunks, shape, 'text')).to.equal(text);
  });

  it('makes no pieces of the empty text, and joins no pieces to it', () => {
    expect(splitText('', 4)).to.deep.equal([]);
    expect(joinChunks([], shapeOf([]), 'text')).to.equal('');
  });

  it('refuses a limit that could not make progress past a surrogate pair', () => {
    expect(() => splitText('abc', 1)).to.throw(RangeError);
    expect(() => splitText('abc', 2.5)).to.throw(RangeError);
  });

  it('keeps the worst-case chunk (3 UTF-8 bytes per code unit) far below the 16 MiB document cap', () => {
    expect(maxChunkBytes()).to.be.at.most(BSON_DOCUMENT_CAP / 4);
    const worst = '€'.repeat(CHUNK_UNITS + 7);
    const [first] = splitText(worst);
    expect(first?.length).to.equal(CHUNK_UNITS);
    const doc = { _id: `${'0'.repeat(26)}:data:123456`, closeId: '0'.repeat(26), periodId: '0'.repeat(26), part: 'data', index: 123456, text: first };
    const size = mongo.BSON.calculateObjectSize(doc);
    expect(size).to.be.above(maxChunkBytes() - 1).and.below(maxChunkBytes() + 1024);
    expect(size).to.be.below(BSON_DOCUMENT_CAP);
  });

  it('refuses a missing, repeated or extra piece, and pieces that do not add up to the recorded length', () => {
    const { chunks, shape } = chunked('abcdefgh', 3); // abc def gh
    const [c0, c1, c2] = chunks as [(typeof chunks)[0], (typeof chunks)[0], (typeof chunks)[0]];
    expect(() => joinChunks([c0, c2], shape, 'csv of p1')).to.throw('csv of p1: expected 3 chunks, found 2');
    expect(() => joinChunks([c0, c2, c2], shape, 'csv')).to.throw('chunk 1 is missing');
    expect(() => joinChunks([c0, c1, c2, { index: 3, text: 'x' }], shape, 'csv')).to.throw('expected 3 chunks, found 4');
    expect(() => joinChunks([c0, c1, { index: 2, text: 'g' }], shape, 'csv')).to.throw('hold 7 characters, expected 8');
    expect(joinChunks([c0, c1, c2], shape, 'csv')).to.equal('abcdefgh');
  });
});
