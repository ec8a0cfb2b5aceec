import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { describeError } from './errors.js';
import type { Insights, Period } from './types.js';

export type InsightsState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: Insights };

/**
 * GET /periods/:id/insights: hr and admin everyone; with `reportsOnly`, the caller's direct reports
 * alone (a manager's "My team", where the manager's own counts would skew the team's).
 */
export function usePeriodInsights(period: Period, reportsOnly: boolean): InsightsState {
  const [state, setState] = useState<InsightsState>({ status: 'loading' });
  useEffect(() => {
    // A slow answer for the period picked before must not overwrite the one picked now, and an
    // error for it must not stay on screen once another period is picked.
    let current = true;
    setState({ status: 'loading' });
    api<Insights>(`/periods/${encodeURIComponent(period.id)}/insights${reportsOnly ? '?scope=reports' : ''}`).then(
      (data) => current && setState({ status: 'ready', data }),
      (err: unknown) => current && setState({ status: 'error', message: describeError(err) }),
    );
    return () => {
      current = false;
    };
  }, [period.id, reportsOnly]);
  return state;
}
