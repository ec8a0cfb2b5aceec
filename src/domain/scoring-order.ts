/** Ordinal (code unit) comparison: the same order on every machine and Node version. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
