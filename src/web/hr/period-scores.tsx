import { useState } from 'preact/hooks';
import { LoadError } from '../components/load-error.js';
import { ScoresTable } from '../components/scores-table.js';
import { filterScores } from '../lib/score-format.js';
import type { Behaviour, Period } from '../lib/types.js';
import { nameOr, type PeopleNames } from '../lib/use-people-names.js';
import { usePeriodScores } from '../lib/use-period-scores.js';

/**
 * Everyone's score for a period, with a name/team filter; each row opens its breakdown.
 * `headingId` is the (focusable) heading it is shown under, where "Try again" leaves the keyboard.
 */
export function PeriodScores({ period, headingId, names, catalog }: { period: Period; headingId: string; names: PeopleNames; catalog: ReadonlyMap<string, Behaviour> }) {
  const { state, retry } = usePeriodScores(period);
  const [filter, setFilter] = useState('');

  if (state.status === 'error') return <LoadError message={state.message} onRetry={retry} focusAfter={headingId} />;
  if (state.status === 'loading') return <p class="hint">Loading scores…</p>;
  const { items } = state;
  const shown = filterScores(items, filter);
  const eligible = items.filter((s) => s.eligible).length;
  return (
    <div class="period-scores">
      <p>
        {eligible} of {items.length} people eligible{period.status === 'closed' ? ' (frozen at close)' : ' so far (live until the period is closed)'}.
      </p>
      <div class="field field-narrow">
        <label for="score-filter">Find a person or team</label>
        <input id="score-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </div>
      {/* Only for lines the server did not name. HR reads everyone, inactive included, so a name not found means the lookup failed: the id is all there is. */}
      <ScoresTable period={period} items={shown} label={`Scores for ${period.name}`} giverName={(id) => nameOr(names, id)} catalog={catalog} />
    </div>
  );
}
