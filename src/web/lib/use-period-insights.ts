import type { Insights, Period } from './types.js';
import { useApiGet, type ApiGetState } from './use-api-get.js';

export type InsightsState = ApiGetState<Insights>;

/**
 * GET /periods/:id/insights: hr and admin everyone; with `reportsOnly`, the caller's direct reports
 * alone (a manager's "My team", where the manager's own counts would skew the team's). `retry`
 * asks again (after a failure).
 */
export function usePeriodInsights(period: Period, reportsOnly: boolean): { state: InsightsState; retry(): void } {
  return useApiGet<Insights>(`/periods/${encodeURIComponent(period.id)}/insights${reportsOnly ? '?scope=reports' : ''}`);
}
