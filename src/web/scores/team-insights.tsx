import { PeriodInsights } from '../components/period-insights.js';
import type { Period } from '../lib/types.js';

/**
 * A manager's answer to "who in my team is not being recognised, or not thanking anyone": the
 * HR insights, narrowed to the manager's direct reports (the manager's own counts left out).
 */
export function TeamInsights({ period }: { period: Period }) {
  return (
    <section class="card team-insights" aria-labelledby="team-insights-title" data-testid="team-insights">
      <h2 id="team-insights-title" tabIndex={-1}>Team recognition</h2>
      <p class="hint">
        Your direct reports in <bdi>{period.name}</bdi>: who has received no kudos, who has given none, and how evenly kudos reach each team. Counted from the
        kudos as they are now{period.status === 'closed' ? ', unlike the scores above, which were frozen at close' : ''}.
      </p>
      <PeriodInsights period={period} headingId="team-insights-title" reportsOnly level={3} />
    </section>
  );
}
