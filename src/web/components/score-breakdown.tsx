import type { Behaviour, Period, PersonScore, ScoreLine } from '../lib/types.js';
import { formatDate } from '../lib/format.js';
import { decimals, describeAdjustment, points } from '../lib/score-format.js';
import { usePersonLines } from '../lib/use-period-scores.js';
import { BidiList } from './bidi-list.js';

export interface BreakdownProps {
  period: Period;
  /** The person's figures as the table shows them (loaded without lines). */
  s: PersonScore;
  /**
   * The giver's name from the directory, for a line the server did not name (a period closed
   * before lines carried names, or an older server). The line's own `giverName` comes first: it
   * is the name as of the close, and names givers the viewer's directory leaves out.
   */
  giverName(id: string): string;
  catalog: ReadonlyMap<string, Behaviour>;
}

/**
 * Who a line came from. A manager's view of a private kudos between other people carries no
 * giver (API: `giverId` null, `private: true`); say so plainly rather than leave a blank.
 */
function From({ line, giverName }: { line: ScoreLine; giverName(id: string): string }) {
  if (line.giverId === null) {
    return (
      <span class="private-line">
        Private kudos<span class="hint"> (giver not shown)</span>
      </span>
    );
  }
  return <bdi>{line.giverName ?? giverName(line.giverId)}</bdi>;
}

/**
 * The point-by-point explanation of one person's score, one line per kudos, adding up to it: the
 * lines are read when it is first shown, since everyone's together can be hundreds of MB.
 */
export function ScoreBreakdown({ period, s, giverName, catalog }: BreakdownProps) {
  if (s.kudosReceived === 0) return <p class="hint">No kudos received in this period.</p>;
  return <LoadedBreakdown period={period} s={s} giverName={giverName} catalog={catalog} />;
}

function LoadedBreakdown({ period, s, giverName, catalog }: BreakdownProps) {
  const { state, retry } = usePersonLines(period, s.user.id);
  if (state.status === 'loading') {
    return (
      <p class="hint" role="status">
        Loading how <bdi>{s.user.name}</bdi>’s score is made up…
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <div role="alert">
        <p class="error-text">{state.message}</p>
        <button type="button" class="button-secondary button-small" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <BreakdownTable s={state.score} giverName={giverName} catalog={catalog} />;
}

const PRIVATE_NOTE =
  'A private kudos is seen only by its giver, its recipients, HR and admins: its points count in the score, but which kudos it was and who gave it are not shown to you.';

function BreakdownTable({ s, giverName, catalog }: Omit<BreakdownProps, 'period'>) {
  if (s.breakdown.length === 0) return <p class="hint">No kudos received in this period.</p>;
  return (
    <>
      <table class="table table-compact breakdown-table stack-on-phone">
        <caption class="visually-hidden">
          How <bdi>{s.user.name}</bdi>’s score is made up
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">From</th>
            <th scope="col">Behaviours</th>
            <th scope="col" class="num">Base</th>
            <th scope="col">Adjustments</th>
            <th scope="col" class="num">Points</th>
          </tr>
        </thead>
        <tbody>
          {s.breakdown.map((line, i) => (
            <tr key={line.kudosId ?? `private-${i}`} class={line.private ? 'is-private' : undefined}>
              <td data-label="Date" class="nowrap">
                {line.createdAt ? formatDate(line.createdAt) : '—'}
              </td>
              <td data-label="From">
                <From line={line} giverName={giverName} />
              </td>
              <td data-label="Behaviours">
                <BidiList items={line.behaviours.map((k) => catalog.get(k)?.name ?? k)} />
              </td>
              <td data-label="Base" class="num">
                {decimals(line.base, 3)}
              </td>
              <td data-label="Adjustments">{line.adjustments.length === 0 ? 'none' : line.adjustments.map(describeAdjustment).join('; ')}</td>
              <td data-label="Points" class="num">
                {points(line.points)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={5}>
              Total
            </th>
            <td class="num">{points(s.score)}</td>
          </tr>
        </tfoot>
      </table>
      {s.breakdown.some((l) => l.giverId === null) && (
        <p class="hint" data-testid="private-note">
          {PRIVATE_NOTE}
        </p>
      )}
    </>
  );
}
