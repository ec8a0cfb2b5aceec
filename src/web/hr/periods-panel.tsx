import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { PeriodInsights } from '../components/period-insights.js';
import { PanelMessages } from '../components/panel-messages.js';
import { allPages, api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { formatUtcDay } from '../lib/format.js';
import type { Behaviour, Period } from '../lib/types.js';
import type { PeopleNames } from '../lib/use-people-names.js';
import { CloseDialog } from './close-dialog.js';
import { downloadFile, slug } from './download.js';
import { dayAfter, dayStart, lastDayOf, monthDefaults } from './period-dates.js';
import { PeriodScores } from './period-scores.js';

function CreatePeriod({ onCreated }: { onCreated(p: Period): void }) {
  const d = monthDefaults();
  const [name, setName] = useState(d.name);
  const [first, setFirst] = useState(d.first);
  const [last, setLast] = useState(d.last);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim() || !first || !last) return setError('Give the period a name, a first day and a last day.');
    if (last < first) return setError('The last day must be on or after the first day.');
    setBusy(true);
    setError(null);
    try {
      onCreated(await api<Period>('/periods', { method: 'POST', body: { name: name.trim(), startsAt: dayStart(first), endsAt: dayAfter(last) } }));
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit} noValidate aria-labelledby="new-period-title">
      <h3 id="new-period-title">New period</h3>
      <div class="field">
        <label for="period-name">Name</label>
        <input id="period-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="period-first">First day</label>
        <input id="period-first" type="date" value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="period-last">Last day (included)</label>
        <input id="period-last" type="date" value={last} onInput={(e) => setLast(e.currentTarget.value)} />
      </div>
      {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
      <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
        Create period
      </button>
      <p class="hint form-note">Days run midnight to midnight UTC. Periods may not overlap.</p>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Periods: create, read scores and insights, download the payroll CSV, close. */
export function PeriodsPanel({ names, catalog }: { names: PeopleNames; catalog: ReadonlyMap<string, Behaviour> }) {
  const [periods, setPeriods] = useState<Period[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<ComponentChildren>(null);
  const [selected, setSelected] = useState<{ id: string; view: 'scores' | 'insights' } | null>(null);
  const [closing, setClosing] = useState<Period | null>(null);

  useEffect(() => {
    allPages<Period>('/periods').then(
      setPeriods,
      (err: unknown) => setError(describeError(err)),
    );
  }, []);

  // The period whose CSV is being prepared: an open period's is computed on request, seconds for a large company.
  const [downloading, setDownloading] = useState<string | null>(null);

  const download = async (p: Period) => {
    // One download at a time: a second press while the first is prepared would save the file twice.
    if (downloading) return;
    setDownloading(p.id);
    setNotice(`Preparing the payroll CSV for “${p.name}”…${p.status === 'open' ? ' An open period’s figures are worked out now, which takes a few seconds in a large company.' : ''}`);
    setError(null);
    try {
      const r = await downloadFile(`/periods/${encodeURIComponent(p.id)}/report.csv`, `shine-${slug(p.name)}.csv`);
      setNotice(`Downloaded ${r.fileName}${r.sha256 ? ` (SHA-256 ${r.sha256})` : ''}${p.status === 'open' ? '. The period is still open, so these figures can change.' : '.'}`);
    } catch (err) {
      setNotice(null);
      setError(describeError(err));
    } finally {
      setDownloading(null);
    }
  };

  const current = periods?.find((p) => p.id === selected?.id) ?? null;
  return (
    <section aria-labelledby="periods-title">
      <h2 id="periods-title">Periods</h2>
      <CreatePeriod
        onCreated={(p) => {
          setPeriods((prev) => [p, ...(prev ?? [])].sort((a, b) => b.startsAt.localeCompare(a.startsAt)));
          setNotice(
            <>
              Period “<bdi>{p.name}</bdi>” created.
            </>,
          );
        }}
      />
      <PanelMessages notice={notice} error={error} />
      {periods && periods.length === 0 && <p class="hint">No periods yet. Create the first one above.</p>}
      {/* Named by its caption: the section around it is already "Periods", and landmark names must differ. */}
      {periods && periods.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="periods-caption">
          <table class="table" data-testid="periods-table">
            <caption id="periods-caption" class="visually-hidden">Periods, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Dates (UTC)</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.id} data-period-id={p.id}>
                  <th scope="row">
                    <bdi>{p.name}</bdi>
                  </th>
                  <td>
                    {formatUtcDay(p.startsAt)} – {formatUtcDay(lastDayOf(p.endsAt))}
                  </td>
                  <td>
                    <span class={p.status === 'closed' ? 'status-pill closed' : 'status-pill open'}>{p.status === 'closed' ? 'Closed' : 'Open'}</span>
                  </td>
                  <td class="actions">
                    <button type="button" class="button-quiet button-small" onClick={() => setSelected({ id: p.id, view: 'scores' })}>
                      Scores<span class="visually-hidden"> for {p.name}</span>
                    </button>
                    <button type="button" class="button-quiet button-small" onClick={() => setSelected({ id: p.id, view: 'insights' })}>
                      Insights<span class="visually-hidden"> for {p.name}</span>
                    </button>
                    {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
                    <button type="button" class="button-quiet button-small" onClick={() => download(p)} aria-disabled={downloading ? 'true' : undefined}>
                      {downloading === p.id ? 'Preparing CSV…' : 'Download CSV'}
                      <span class="visually-hidden"> for {p.name}</span>
                    </button>
                    {p.status === 'open' && (
                      <button type="button" class="button-danger-quiet button-small" onClick={() => setClosing(p)}>
                        Close…<span class="visually-hidden"> {p.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && selected && (
        <section class="card period-detail" aria-labelledby="period-detail-title">
          <h3 id="period-detail-title" tabIndex={-1}>
            <bdi>{current.name}</bdi>: {selected.view === 'scores' ? 'scores' : 'insights'}
          </h3>
          {selected.view === 'scores' ? <PeriodScores period={current} headingId="period-detail-title" names={names} catalog={catalog} /> : <PeriodInsights period={current} headingId="period-detail-title" />}
        </section>
      )}
      {closing && (
        <CloseDialog
          period={closing}
          onCancel={() => setClosing(null)}
          onClosed={(p) => {
            setClosing(null);
            setPeriods((prev) => (prev ?? []).map((x) => (x.id === p.id ? p : x)));
            setNotice(
              <>
                “<bdi>{p.name}</bdi>” is closed. Its results and payroll CSV are now final.
              </>,
            );
          }}
        />
      )}
    </section>
  );
}
