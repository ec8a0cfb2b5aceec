import { formatDateTime, formatUtcDay } from '../lib/format.js';
import type { Period } from '../lib/types.js';
import { isolate } from '../lib/bidi.js';

/** The last day a period includes: endsAt is the exclusive midnight after it. */
const lastDay = (endsAt: string) => new Date(Date.parse(endsAt) - 1).toISOString();

/**
 * The period whose scores to show first: the one named in the address, else the open period
 * under way now (what a manager usually wants), else the newest.
 */
export function initialPeriod(periods: readonly Period[], wanted: string | null, nowMs = Date.now()): Period | null {
  const named = wanted ? periods.find((p) => p.id === wanted) : undefined;
  if (named) return named;
  const current = periods.find((p) => p.status === 'open' && Date.parse(p.startsAt) <= nowMs && nowMs < Date.parse(p.endsAt));
  return current ?? periods[0] ?? null;
}

/** A plain select: keyboard and screen readers know it, and it fits a phone. */
export function PeriodPicker({ periods, selected, onSelect }: { periods: readonly Period[]; selected: Period; onSelect(p: Period): void }) {
  return (
    <div class="period-picker">
      <div class="field field-narrow">
        <label for="period-select">Period</label>
        <select
          id="period-select"
          value={selected.id}
          onChange={(e) => {
            const p = periods.find((x) => x.id === e.currentTarget.value);
            if (p) onSelect(p);
          }}
        >
          {periods.map((p) => (
            <option key={p.id} value={p.id}>
              {isolate(p.name)}
              {p.status === 'closed' ? ' (closed)' : ''}
            </option>
          ))}
        </select>
      </div>
      <p class="period-facts" data-testid="period-facts">
        <span class={selected.status === 'closed' ? 'status-pill closed' : 'status-pill open'}>{selected.status === 'closed' ? 'Closed' : 'Open'}</span>{' '}
        {formatUtcDay(selected.startsAt)} – {formatUtcDay(lastDay(selected.endsAt))} (UTC).{' '}
        {selected.status === 'closed'
          ? `Final: frozen when HR closed the period${selected.closedAt ? ` on ${formatDateTime(selected.closedAt)}` : ''}; later changes do not alter it.`
          : 'Live: the figures change as kudos arrive, until HR closes the period.'}
      </p>
    </div>
  );
}
