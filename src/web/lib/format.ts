/** Dates and numbers as people read them, in the browser's own locale. */

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * "3 minutes ago", falling back to a date after a week. Only ever in the past: what it dates (a
 * kudos, a comment) was stamped by the server, so a time ahead of this device's clock means the
 * clock runs behind, as on a TV nobody sets, whose wall said "in 5 minutes" for every new kudos.
 */
export function relativeTime(iso: string, nowMs = Date.now()): string {
  const diff = (Date.parse(iso) - nowMs) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45 || diff > 0) return 'just now';
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(diff / 86400), 'day');
  return dateFmt.format(new Date(iso));
}

export const formatDate = (iso: string): string => dateFmt.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTimeFmt.format(new Date(iso));

/** A UTC calendar day (periods are stored in UTC). */
export function formatUtcDay(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Code points, the unit the API counts message length in. */
export function charCount(s: string): number {
  return [...s.trim()].length;
}
