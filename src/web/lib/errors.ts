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

/** One sentence for a failed request, suitable for an inline alert. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') {
      return err.retryAfter ? `Too many attempts. Try again in ${err.retryAfter} seconds.` : 'Too many attempts. Try again shortly.';
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
