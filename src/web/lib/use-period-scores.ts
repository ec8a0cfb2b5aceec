import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { describeError } from './errors.js';
import type { Period, PersonScore } from './types.js';

export type ScoresState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: PersonScore[]; frozen: boolean };

/**
 * GET /periods/:id/scores, whatever the caller may see (hr: everyone, a manager: themself and
 * their reports, anyone else: themself). Refetched when the period closes, since the frozen
 * results replace the live ones; `retry` asks again after an error.
 */
export function usePeriodScores(period: Period): { state: ScoresState; retry(): void } {
  const [state, setState] = useState<ScoresState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    // A slow answer for the period picked before must not overwrite the one picked now.
    let current = true;
    setState({ status: 'loading' });
    api<{ items: PersonScore[]; frozen?: boolean }>(`/periods/${encodeURIComponent(period.id)}/scores`).then(
      (r) => current && setState({ status: 'ready', items: r.items, frozen: r.frozen ?? period.status === 'closed' }),
      (err: unknown) => current && setState({ status: 'error', message: describeError(err) }),
    );
    return () => {
      current = false;
    };
  }, [period.id, period.status, attempt]);
  return { state, retry: () => setAttempt((n) => n + 1) };
}
