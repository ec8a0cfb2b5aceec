/**
 * Small, hot helpers of the scorer: comparing ids and timestamps, written for a million calls
 * per scoring run.
 */

/** Ordinal (code unit) comparison: the same order on every machine and Node version. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The timestamp in toISOString() form (YYYY-MM-DDTHH:mm:ss.sssZ), in which string order is time
 * order, so a million kudos can be ordered without parsing a single date. Stores hand out that
 * form already (a cheap shape check); anything else is parsed and rewritten.
 */
export function canonicalIso(iso: string, kudosId: string): string {
  if (iso.length === 24 && iso[10] === 'T' && iso[19] === '.' && iso[23] === 'Z') return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`kudos ${kudosId} has an invalid createdAt`);
  return new Date(ms).toISOString();
}
