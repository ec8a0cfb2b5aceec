import { ScoreBreakdown } from '../components/score-breakdown.js';
import { describeFlags, points } from '../lib/score-format.js';
import type { Behaviour, Period, PersonScore } from '../lib/types.js';

/**
 * The signed-in person's own score: the figures first, then the breakdown already open, since
 * it is the one score on the page they came to understand.
 */
export function OwnScore({ period, s, giverName, catalog }: { period: Period; s: PersonScore; giverName(id: string): string; catalog: ReadonlyMap<string, Behaviour> }) {
  const notes = describeFlags(s.flags);
  return (
    <section class="card own-score" aria-labelledby="own-score-title" data-testid="own-score">
      <h2 id="own-score-title">Your score</h2>
      <dl class="score-facts">
        <div>
          <dt>Score</dt>
          <dd data-testid="own-score-value">{points(s.score)}</dd>
        </div>
        <div>
          <dt>Tier</dt>
          <dd>{s.tier ?? '—'}</dd>
        </div>
        <div>
          <dt>Eligible</dt>
          <dd>{s.eligible ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt>Distinct givers</dt>
          <dd>{s.distinctGivers}</dd>
        </div>
        <div>
          <dt>Kudos</dt>
          <dd>{s.kudosReceived ?? s.breakdown.length}</dd>
        </div>
      </dl>
      {notes && <p class="hint">Notes: {notes}</p>}
      <h3 id="own-breakdown-title">How it is made up</h3>
      <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="own-breakdown-title">
        <ScoreBreakdown period={period} s={s} giverName={giverName} catalog={catalog} />
      </div>
    </section>
  );
}
