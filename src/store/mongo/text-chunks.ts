/**
 * Splitting a long text into pieces that each fit in a MongoDB document, and joining them back
 * exactly. Pure, so it is tested without a server (test/unit/text-chunks.test.ts).
 */

/**
 * UTF-16 code units per chunk. BSON stores strings as UTF-8, where one code unit takes at most
 * 3 bytes (a BMP character from U+0800 up; a surrogate pair is 2 units for 4 bytes), so a chunk
 * of 2^20 units is at most 3 MiB on the wire whatever the text: far below the 16 MiB document
 * cap with no need to measure bytes. ASCII text (the CSV, the JSON) fills 1 MiB per chunk.
 */
export const CHUNK_UNITS = 2 ** 20;

/** Worst-case UTF-8 bytes of a chunk of `units` UTF-16 code units. */
export function maxChunkBytes(units: number = CHUNK_UNITS): number {
  return units * 3;
}

const isHighSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Cuts `text` into consecutive pieces of at most `maxUnits` code units, never between the two
 * halves of a surrogate pair (BSON's UTF-8 encoder would turn each half into U+FFFD, and the
 * joined text would differ from the original). The empty text is no pieces at all.
 */
export function splitText(text: string, maxUnits: number = CHUNK_UNITS): string[] {
  if (!Number.isInteger(maxUnits) || maxUnits < 2) throw new RangeError(`maxUnits must be an integer >= 2, got ${maxUnits}`);
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + maxUnits, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** One stored piece: its position and its text. */
export interface TextChunk {
  index: number;
  text: string;
}

/** What the writer recorded about a split text, to know the pieces read back are all of it. */
export interface ChunkedTextShape {
  /** Number of pieces: splitText(...).length. */
  count: number;
  /** The whole text's length in UTF-16 code units. */
  length: number;
}

export function shapeOf(pieces: readonly string[]): ChunkedTextShape {
  return { count: pieces.length, length: pieces.reduce((n, p) => n + p.length, 0) };
}

/**
 * Joins pieces read back in index order, after checking they are exactly pieces 0..count-1 and
 * add up to the recorded length. A missing, repeated or extra piece throws: a short payroll
 * CSV served as if whole would be worse than an error.
 */
export function joinChunks(chunks: readonly TextChunk[], shape: ChunkedTextShape, what: string): string {
  if (chunks.length !== shape.count) {
    throw new Error(`${what}: expected ${shape.count} chunks, found ${chunks.length}`);
  }
  chunks.forEach((c, i) => {
    if (c.index !== i) throw new Error(`${what}: chunk ${i} is missing (found chunk ${c.index} in its place)`);
  });
  const text = chunks.map((c) => c.text).join('');
  if (text.length !== shape.length) {
    throw new Error(`${what}: the chunks hold ${text.length} characters, expected ${shape.length}`);
  }
  return text;
}
