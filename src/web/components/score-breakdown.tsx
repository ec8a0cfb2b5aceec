import type { Behaviour, PersonScore, ScoreLine } from '../lib/types.js';
import { formatDate } from '../lib/format.js';
import { decimals, describeAdjustment, points } from '../lib/score-format.js';

export interface BreakdownProps {
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
  return <>{line.giverName ?? giverName(line.giverId)}</>;
}

/** The point-by-point explanation of one person's score, one line per kudos, adding up to it. */
export function ScoreBreakdown({ s, giverName, catalog }: BreakdownProps) {
  if (s.breakdown.length === 0) return <p class="hint">No kudos received in this period.</p>;
  return (
    <table class="table table-compact breakdown-table stack-on-phone">
      <caption class="visually-hidden">How {s.user.name}’s score is made up</caption>
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
            <td data-label="Behaviours">{line.behaviours.map((k) => catalog.get(k)?.name ?? k).join(', ')}</td>
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
  );
}

/** True when a private line hides its giver, so the page can say why once. */
export const hasHiddenLines = (items: readonly PersonScore[]): boolean => items.some((s) => s.breakdown.some((l) => l.giverId === null));
