/**
 * Periods are stored as [startsAt, endsAt) in UTC. People think in inclusive calendar days, so
 * the forms ask for a first and a last day and convert here.
 */
const DAY_MS = 86_400_000;

/** "2025-07-01" → "2025-07-01T00:00:00.000Z" */
export function dayStart(day: string): string {
  return new Date(`${day}T00:00:00.000Z`).toISOString();
}

/** Last day "2025-07-31" → exclusive end "2025-08-01T00:00:00.000Z" */
export function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY_MS).toISOString();
}

/** The last day (inclusive) of a period with this exclusive end, as an ISO instant inside it. */
export function lastDayOf(endsAt: string): string {
  return new Date(Date.parse(endsAt) - 1).toISOString();
}

/** Today and the first / last day of this month, as yyyy-mm-dd in UTC (form defaults). */
export function monthDefaults(now = new Date()): { first: string; last: string; name: string } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const first = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(y, m + 1, 0));
  const name = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(first);
  return { first: first.toISOString().slice(0, 10), last: last.toISOString().slice(0, 10), name };
}
