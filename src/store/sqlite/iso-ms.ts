/**
 * Epoch milliseconds of the timestamps Shine stores (the toISOString() form,
 * YYYY-MM-DDTHH:mm:ss.sssZ), read by position from the bytes SQLite returned: scoring reads a
 * million per period, and a string plus Date.parse for each costs more than all the rest.
 */

export const ISO_LENGTH = 24;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): Date.UTC, minus the call. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Reads canonical timestamps out of one string; remembers the last day seen, since a period's
 * kudos come in time order and a day holds thousands of them.
 */
export class IsoReader {
  private dayKey = -1;
  private day = 0;

  /**
   * Epoch ms of the timestamp at `o` in `text`, the same as Date.parse gives; NaN when it is not
   * in the canonical form (or is 24:00, which Date.parse reads as the next day): callers then
   * leave it to Date.parse.
   */
  at(text: Uint8Array, o: number): number {
    const year = two(text, o) * 100 + two(text, o + 2);
    const month = two(text, o + 5);
    const date = two(text, o + 8);
    const hours = two(text, o + 11);
    const minutes = two(text, o + 14);
    const seconds = two(text, o + 17);
    const ms = two(text, o + 20) * 10 + one(text, o + 22);
    if (
      year < 0 || month < 1 || month > 12 || date < 1 || date > 31 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59 ||
      seconds < 0 || seconds > 59 || ms < 0 || text[o + 4] !== 45 || text[o + 7] !== 45 || text[o + 10] !== 84 ||
      text[o + 13] !== 58 || text[o + 16] !== 58 || text[o + 19] !== 46 || text[o + 23] !== 90
    ) {
      return NaN;
    }
    const key = (year * 100 + month) * 100 + date;
    if (key !== this.dayKey) {
      // Like Date.parse, a 31st of a shorter month runs on into the next: the day count is linear.
      this.day = daysFromCivil(year, month, date);
      this.dayKey = key;
    }
    return (this.day * 86_400 + hours * 3600 + minutes * 60 + seconds) * 1000 + ms;
  }
}

/** Far below any sum of digits it is added to, so one bad digit makes the whole field negative. */
const NOT_A_DIGIT = -1e6;

function one(text: Uint8Array, i: number): number {
  // Past the end reads undefined, which is NaN here and fails the test as well.
  const d = text[i]! - 48;
  return d >= 0 && d <= 9 ? d : NOT_A_DIGIT;
}

function two(text: Uint8Array, i: number): number {
  return one(text, i) * 10 + one(text, i + 1);
}
