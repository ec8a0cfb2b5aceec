import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { formatDate } from '../lib/format.js';
import type { Adjustment, Behaviour, Period, PersonScore, UserView } from '../lib/types.js';

const RULES: Record<string, string> = {
  group_split: 'shared with other recipients',
  repeat_pair: 'repeat thanks from the same giver',
  reciprocal: 'reciprocal exchange',
};
const FLAGS: Record<string, string> = {
  few_givers: 'too few distinct givers',
  reciprocal: 'reciprocal pattern',
};

const fmt = (n: number, digits = 2) => n.toLocaleString(undefined, { minimumFractionDigits: 0, maximumFractionDigits: digits });
/**
 * Scores and points in cents, always two decimals, as the payroll CSV writes them: HR checks one
 * against the other, and "3" beside "3.00" or "0.5" beside "0.50" reads like a difference.
 */
const points = (n: number) => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function describeAdjustment(a: Adjustment): string {
  return `${RULES[a.rule] ?? a.rule} ×${fmt(a.factor, 3)}`;
}

/** The point-by-point explanation of one person's score. */
function Breakdown({ s, people, catalog }: { s: PersonScore; people: ReadonlyMap<string, UserView>; catalog: ReadonlyMap<string, Behaviour> }) {
  if (s.breakdown.length === 0) return <p class="hint">No kudos received in this period.</p>;
  return (
    <table class="table table-compact">
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
          <tr key={line.kudosId ?? `private-${i}`}>
            <td>{line.createdAt ? formatDate(line.createdAt) : '—'}</td>
            <td>{line.giverId === null ? 'A private kudos' : (people.get(line.giverId)?.name ?? line.giverId)}</td>
            <td>{line.behaviours.map((k) => catalog.get(k)?.name ?? k).join(', ')}</td>
            <td class="num">{fmt(line.base, 3)}</td>
            <td>{line.adjustments.length === 0 ? 'none' : line.adjustments.map(describeAdjustment).join('; ')}</td>
            <td class="num">{points(line.points)}</td>
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

/** Everyone's score for a period; each row opens its breakdown. */
export function PeriodScores({ period, people, catalog }: { period: Period; people: ReadonlyMap<string, UserView>; catalog: ReadonlyMap<string, Behaviour> }) {
  const [items, setItems] = useState<PersonScore[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');

  useEffect(() => {
    setItems(null);
    api<{ items: PersonScore[] }>(`/periods/${encodeURIComponent(period.id)}/scores`).then(
      (r) => setItems(r.items),
      (err: unknown) => setError(describeError(err)),
    );
  }, [period.id, period.status]);

  const toggle = (id: string) => {
    const n = new Set(open);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    setOpen(n);
  };

  if (error) return <p class="error-text" role="alert">{error}</p>;
  if (!items) return <p class="hint">Loading scores…</p>;
  const q = filter.trim().toLowerCase();
  const shown = q ? items.filter((s) => s.user.name.toLowerCase().includes(q) || s.user.team.toLowerCase().includes(q)) : items;
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
      <div class="table-scroll" tabIndex={0} role="region" aria-label={`Scores for ${period.name}`}>
        <table class="table" data-testid="scores-table">
          <caption class="visually-hidden">Scores for {period.name}</caption>
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
          <tbody>
            {shown.map((s) => {
              const isOpen = open.has(s.user.id);
              const rowId = `breakdown-${s.user.id}`;
              return (
                <Fragment key={s.user.id}>
                  <tr>
                    <th scope="row">
                      <a href={`/people/${encodeURIComponent(s.user.id)}`}>{s.user.name}</a>
                    </th>
                    <td>{s.user.team}</td>
                    <td class="num">{points(s.score)}</td>
                    <td>{s.tier ?? '—'}</td>
                    <td>{s.eligible ? 'Yes' : 'No'}</td>
                    <td class="num">{s.distinctGivers}</td>
                    <td class="num">{s.kudosReceived ?? s.breakdown.length}</td>
                    <td>{(s.flags ?? []).map((f) => FLAGS[f] ?? f).join(', ')}</td>
                    <td>
                      <button type="button" class="button-quiet button-small" aria-expanded={isOpen} aria-controls={rowId} onClick={() => toggle(s.user.id)}>
                        {isOpen ? 'Hide' : 'Explain'}
                        <span class="visually-hidden"> {s.user.name}’s score</span>
                      </button>
                    </td>
                  </tr>
                  <tr id={rowId} hidden={!isOpen} class="breakdown-row">
                    <td colSpan={9}>{isOpen && <Breakdown s={s} people={people} catalog={catalog} />}</td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
