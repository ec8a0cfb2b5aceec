import { ApiError } from './api.js';
import type { ErrorDetail } from './types.js';

/**
 * Friendlier sentences for the error codes a person can trigger from the pages. The server's
 * own message is the fallback, so a new code still reads sensibly.
 */
const MESSAGES: Record<string, string> = {
  invalid_credentials: 'That email and password do not match an account.',
  self_kudos: 'You cannot thank yourself. Pick a colleague instead.',
  recipient_inactive: 'One of the people you picked is no longer active.',
  behaviour_inactive: 'One of the behaviours you picked has been retired. Pick another.',
  network_error: 'Shine cannot be reached. Check your connection and try again.',
  forbidden: 'You are not allowed to do this.',
  period_not_ended: 'This period has not ended yet, so it cannot be closed.',
  period_closed: 'This period is already closed.',
  period_overlap: 'This period overlaps an existing one.',
  period_range_invalid: 'The last day must be on or after the first day.',
  delete_window_passed: 'Kudos can only be deleted within 15 minutes of posting.',
  store_unavailable: 'Shine’s storage is unavailable right now. Try again in a moment.',
};

/** A Retry-After in the unit a person reads it in: "45 seconds", "14 minutes", "2 hours". */
export function waitText(seconds: number): string {
  const [n, unit] = seconds < 90 ? [seconds, 'second'] : seconds < 90 * 60 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3600), 'hour'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** One sentence for a failed request, suitable for an inline alert. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    // Sign-in attempts and kudos posted too fast share this code: a sentence that fits both.
    if (err.code === 'rate_limited') {
      return err.retryAfter ? `That was a lot in a short time. Try again in ${waitText(err.retryAfter)}.` : 'That was a lot in a short time. Try again shortly.';
    }
    return MESSAGES[err.code] ?? err.message;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}

/** The detail messages whose path starts with one of the prefixes (e.g. "recipientIds"). */
export function detailsFor(err: unknown, ...prefixes: string[]): string[] {
  if (!(err instanceof ApiError)) return [];
  return err.details.filter((d: ErrorDetail) => prefixes.some((p) => d.path === p || d.path.startsWith(`${p}.`))).map((d) => d.message);
}
