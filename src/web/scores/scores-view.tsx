import { LoadError } from '../components/load-error.js';
import type { Behaviour, Me, Period } from '../lib/types.js';
import { usePeriodScores } from '../lib/use-period-scores.js';
import { OwnScore } from './own-score.js';
import { TeamInsights } from './team-insights.js';
import { TeamScores } from './team-scores.js';

/** One period's scores as the API answers them for `me`: their own first, then the others it allows. */
export function ScoresView({ me, period, giverName, catalog }: { me: Me; period: Period; giverName(id: string): string; catalog: ReadonlyMap<string, Behaviour> }) {
  const { state, retry } = usePeriodScores(period);
  // Always in the page, so that a screen reader hears each change of period land.
  const status = (
    <p class="visually-hidden" role="status">
      {state.status === 'loading' ? `Loading scores for ${period.name}…` : state.status === 'ready' ? `Scores for ${period.name} shown.` : ''}
    </p>
  );
  if (state.status === 'loading') {
    return (
      <>
        {status}
        <p class="hint">Loading scores…</p>
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <div class="card">
        {status}
        {/* The button goes away while loading; the period picker is where the keyboard carries on. */}
        <LoadError message={state.message} onRetry={retry} focusAfter="period-select" />
      </div>
    );
  }
  const own = state.items.find((s) => s.user.id === me.id);
  const others = state.items.filter((s) => s.user.id !== me.id);
  const showTeam = me.role !== 'employee' || others.length > 0;
  return (
    <>
      {status}
      {own ? (
        <OwnScore period={period} s={own} giverName={giverName} catalog={catalog} />
      ) : (
        <section class="card" aria-labelledby="own-score-title">
          <h2 id="own-score-title">Your score</h2>
          <p class="hint">You have no score in this period.</p>
        </section>
      )}
      {showTeam && <TeamScores items={others} role={me.role} period={period} giverName={giverName} catalog={catalog} />}
      {/* Only with someone to show: without reports, "Your team" above already says so. hr and admin have the full insights on /hr. */}
      {me.role === 'manager' && others.length > 0 && <TeamInsights period={period} />}
    </>
  );
}
