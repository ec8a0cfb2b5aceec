import { ApiError } from '../lib/api.js';

/** API error details keyed by path ("tiers.1.threshold" → message), for inline field errors. */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError) for (const d of err.details) out[d.path] ??= d.message;
  return out;
}
