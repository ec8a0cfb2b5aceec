import { useState } from 'preact/hooks';
import { ScoresTable } from '../components/scores-table.js';
import { filterScores } from '../lib/score-format.js';
import type { Behaviour, Period, PersonScore, Role } from '../lib/types.js';

/** Past this many rows a name filter earns its place; a small team reads at a glance. */
const FILTER_FROM = 9;

/**
 * Everyone else the API lets the viewer see for the period: a manager's direct reports (hr and
 * admin get everyone, as on /hr). Nothing is added to what the API answered.
 */
export function TeamScores({ items, role, period, giverName, catalog }: { items: readonly PersonScore[]; role: Role; period: Period; giverName(id: string): string; catalog: ReadonlyMap<string, Behaviour> }) {
  const [filter, setFilter] = useState('');
  const everyone = role === 'hr' || role === 'admin';
  const title = everyone ? 'Everyone else' : 'Your team';
  const shown = filterScores(items, filter);
  const eligible = items.filter((s) => s.eligible).length;
  return (
    <section class="card team-scores" aria-labelledby="team-scores-title">
      <h2 id="team-scores-title">{title}</h2>
      {items.length === 0 ? (
        <p class="hint">No one reports to you in Shine yet. HR sets who reports to whom.</p>
      ) : (
        <>
          <p>
            {everyone ? '' : 'Your direct reports. '}
            {eligible} of {items.length} eligible{period.status === 'closed' ? ' (final).' : ' so far.'}
            {everyone && ' The HR page also has the payroll CSV and closing.'}
          </p>
          {items.length >= FILTER_FROM && (
            <div class="field field-narrow">
              <label for="team-filter">Find a person or team</label>
              <input id="team-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            </div>
          )}
          {shown.length === 0 ? (
            <p class="hint">No one matches “{filter.trim()}”.</p>
          ) : (
            <ScoresTable period={period} items={shown} label={`${title}: scores for ${period.name}`} giverName={giverName} catalog={catalog} />
          )}
        </>
      )}
    </section>
  );
}
