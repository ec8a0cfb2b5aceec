import { query } from './api.js';
import type { Period, PersonScore } from './types.js';
import { useApiGet } from './use-api-get.js';

export type ScoresState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: PersonScore[]; frozen: boolean };

const scoresPath = (period: Period, params: Record<string, string>) => `/periods/${encodeURIComponent(period.id)}/scores${query(params)}`;

/**
 * GET /periods/:id/scores?breakdown=false, whatever the caller may see (hr: everyone, a manager:
 * themself and their reports, anyone else: themself): the figures without their lines, which
 * for a large company are hundreds of MB (usePersonLines loads one person's when asked).
 * Refetched when the period closes, since the frozen results replace the live ones; `retry`
 * asks again after an error.
 */
export function usePeriodScores(period: Period): { state: ScoresState; retry(): void } {
  const { state, retry } = useApiGet<{ items: PersonScore[]; frozen?: boolean }>(scoresPath(period, { breakdown: 'false' }), period.status);
  if (state.status !== 'ready') return { state, retry };
  return { state: { status: 'ready', items: state.data.items, frozen: state.data.frozen ?? period.status === 'closed' }, retry };
}

export type LinesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; score: PersonScore };

/**
 * One person's score with its lines (GET /periods/:id/scores?user=): read when their breakdown
 * is opened, so its lines add up to the score it shows even if kudos arrived since the table loaded.
 */
export function usePersonLines(period: Period, userId: string): { state: LinesState; retry(): void } {
  const { state, retry } = useApiGet<{ items: PersonScore[] }>(scoresPath(period, { user: userId }), period.status);
  if (state.status !== 'ready') return { state, retry };
  const score = state.data.items[0];
  return { state: score ? { status: 'ready', score } : { status: 'error', message: 'This person has no score in this period.' }, retry };
}
