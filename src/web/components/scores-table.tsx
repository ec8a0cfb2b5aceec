import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { profileHref } from '../lib/people.js';
import { describeFlags, points } from '../lib/score-format.js';
import type { Behaviour, Period, PersonScore } from '../lib/types.js';
import { ScoreBreakdown } from './score-breakdown.js';
import { ShowMore, useShownCount } from './show-more.js';

export interface ScoresTableProps {
  period: Period;
  /** Figures without lines (usePeriodScores); a row's lines are read when it is first opened. */
  items: readonly PersonScore[];
  /** Names the table and its scroll region ("Scores for March"); landmark names must differ on a page. */
  label: string;
  giverName(id: string): string;
  catalog: ReadonlyMap<string, Behaviour>;
}

const COLUMNS = 9;

/** One row per person (score, tier, eligibility, givers); each row's button opens its breakdown. */
export function ScoresTable({ period, items, label, giverName, catalog }: ScoresTableProps) {
  const body = useRef<HTMLTableSectionElement>(null);
  // HR's table holds the whole company (10,000 people were 20,000 rows with their breakdown rows):
  // it draws a step at a time, and the filter above it still searches everyone.
  const { limit, more } = useShownCount((i) => body.current?.querySelectorAll<HTMLElement>(':scope > tr:not(.breakdown-row) > th a')[i]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  // A breakdown stays mounted once read, hidden when closed: opening it again asks nothing more.
  const [read, setRead] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const n = new Set(open);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    setOpen(n);
    if (!read.has(id)) setRead(new Set(read).add(id));
  };
  const shown = items.slice(0, limit);
  return (
    <>
      <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
        <table class="table scores-table stack-on-phone" data-testid="scores-table">
          <caption class="visually-hidden">{label}</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Team</th>
              <th scope="col" class="num">Score</th>
              <th scope="col">Tier</th>
              <th scope="col">Eligible</th>
              <th scope="col" class="num">Distinct givers</th>
              <th scope="col" class="num">Kudos</th>
              <th scope="col">Notes</th>
              <th scope="col">
                <span class="visually-hidden">Breakdown</span>
              </th>
            </tr>
          </thead>
          <tbody ref={body}>
            {shown.map((s) => {
              const isOpen = open.has(s.user.id);
              const rowId = `breakdown-${s.user.id}`;
              return (
                <Fragment key={s.user.id}>
                  <tr>
                    <th scope="row">
                      <a href={profileHref(s.user.id)}>
                        <bdi>{s.user.name}</bdi>
                      </a>
                    </th>
                    <td data-label="Team">
                      <bdi>{s.user.team}</bdi>
                    </td>
                    <td data-label="Score" class="num">{points(s.score)}</td>
                    <td data-label="Tier">{s.tier ? <bdi>{s.tier}</bdi> : '—'}</td>
                    <td data-label="Eligible">{s.eligible ? 'Yes' : 'No'}</td>
                    <td data-label="Distinct givers" class="num">{s.distinctGivers}</td>
                    <td data-label="Kudos" class="num">{s.kudosReceived ?? s.breakdown.length}</td>
                    {/* An empty notes cell would stack into a bare "Notes:" on a phone. */}
                    <td data-label={s.flags?.length ? 'Notes' : undefined}>{describeFlags(s.flags)}</td>
                    <td>
                      <button type="button" class="button-quiet button-small" aria-expanded={isOpen} aria-controls={rowId} onClick={() => toggle(s.user.id)}>
                        {isOpen ? 'Hide' : 'Explain'}
                        <span class="visually-hidden"> {s.user.name}’s score</span>
                      </button>
                    </td>
                  </tr>
                  <tr id={rowId} hidden={!isOpen} class="breakdown-row">
                    <td colSpan={COLUMNS}>{(isOpen || read.has(s.user.id)) && <ScoreBreakdown period={period} s={s} giverName={giverName} catalog={catalog} />}</td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <ShowMore shown={shown.length} total={items.length} noun="people" hint="Use the search to find someone further down." onMore={more} testId="scores-shown" />
    </>
  );
}
