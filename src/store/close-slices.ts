import type { SnapshotLines } from '../domain/types.js';

/**
 * How much of a close's breakdown lines one write holds: at most `people` people, and no more
 * people once their JSON reaches `units` code units. At 10,000 people a close has ~1.2 M lines
 * (~285 MB of JSON); serialising and writing them in one go held the event loop for seconds and,
 * serialised all beforehand, raised the peak by half a gigabyte. A slice is serialised only when
 * it is written, and dropped before the next.
 */
export interface CloseSlices {
  people: number;
  units: number;
}

/**
 * At ~120 lines a person (~27 KB of JSON) the units end a slice after ~38 people, some 10-25 ms of
 * work; 4 Mi units (~150 people) measured twice as many stalls over 100 ms on a loaded machine
 * (bench/close-stall.ts). The people cap bounds a transaction of people with few lines.
 */
export const CLOSE_SLICES: CloseSlices = { people: 250, units: 2 ** 20 };

/** One person's lines, serialised. */
export interface SerialisedLines {
  userId: string;
  json: string;
}

/** `lines` in slices, each serialised only when the caller asks for it. */
export function* serialisedSlices(lines: readonly SnapshotLines[], limits: CloseSlices = CLOSE_SLICES): Generator<SerialisedLines[]> {
  let slice: SerialisedLines[] = [];
  let units = 0;
  for (const { userId, lines: own } of lines) {
    const json = JSON.stringify(own);
    slice.push({ userId, json });
    units += json.length;
    if (slice.length >= limits.people || units >= limits.units) {
      yield slice;
      slice = [];
      units = 0;
    }
  }
  if (slice.length > 0) yield slice;
}
