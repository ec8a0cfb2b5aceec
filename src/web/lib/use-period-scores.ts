import { useEffect, useState } from 'preact/hooks';
import { api, query } from './api.js';
import { describeError } from './errors.js';
import type { Period, PersonScore } from './types.js';

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
  const [state, setState] = useState<ScoresState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    // A slow answer for the period picked before must not overwrite the one picked now.
    let current = true;
    setState({ status: 'loading' });
    api<{ items: PersonScore[]; frozen?: boolean }>(scoresPath(period, { breakdown: 'false' })).then(
      (r) => current && setState({ status: 'ready', items: r.items, frozen: r.frozen ?? period.status === 'closed' }),
      (err: unknown) => current && setState({ status: 'error', message: describeError(err) }),
    );
    return () => {
      current = false;
    };
  }, [period.id, period.status, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}

export type LinesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; score: PersonScore };

/**
 * One person's score with its lines (GET /periods/:id/scores?user=): read when their breakdown
 * is opened, so its lines add up to the score it shows even if kudos arrived since the table loaded.
 */
export function usePersonLines(period: Period, userId: string): { state: LinesState; retry(): void } {
  const [state, setState] = useState<LinesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    api<{ items: PersonScore[] }>(scoresPath(period, { user: userId })).then(
      (r) => {
        if (!current) return;
        const score = r.items[0];
        setState(score ? { status: 'ready', score } : { status: 'error', message: 'This person has no score in this period.' });
      },
      (err: unknown) => current && setState({ status: 'error', message: describeError(err) }),
    );
    return () => {
      current = false;
    };
  }, [period.id, period.status, userId, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}
