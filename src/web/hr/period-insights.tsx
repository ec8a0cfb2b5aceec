import { useEffect, useState } from 'preact/hooks';
import { BarChart } from '../components/bar-chart.js';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { Insights, Period, PersonRef } from '../lib/types.js';

function PeopleList({ title, people, empty }: { title: string; people: PersonRef[]; empty: string }) {
  return (
    <section class="insight-block">
      <h4>
        {title} ({people.length})
      </h4>
      {people.length === 0 ? (
        <p class="hint">{empty}</p>
      ) : (
        <ul class="name-list">
          {people.map((p) => (
            <li key={p.id}>
              <a href={`/people/${encodeURIComponent(p.id)}`}>{p.name}</a> <span class="muted">{p.team}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Where recognition is thin in a period: who received or gave nothing, and how even teams are. */
export function PeriodInsights({ period }: { period: Period }) {
  const [data, setData] = useState<Insights | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    api<Insights>(`/periods/${encodeURIComponent(period.id)}/insights`).then(setData, (err: unknown) => setError(describeError(err)));
  }, [period.id]);
  if (error) return <p class="error-text" role="alert">{error}</p>;
  if (!data) return <p class="hint">Loading insights…</p>;
  return (
    <div class="insights">
      <div class="insight-grid">
        <PeopleList title="Not recognised yet" people={data.receivedNothing} empty="Everyone received at least one kudos." />
        <PeopleList title="Has not thanked anyone" people={data.gaveNothing} empty="Everyone gave at least one kudos." />
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="By team">
        <table class="table">
          <caption>By team</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col" class="num">People</th>
              <th scope="col" class="num">Recognised</th>
              <th scope="col" class="num">Kudos received</th>
              <th scope="col" class="num">
                Unevenness <span class="hint">(0 = even)</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.byTeam.map((t) => (
              <tr key={t.team}>
                <th scope="row">{t.team}</th>
                <td class="num">{t.people}</td>
                <td class="num">
                  {t.recipients} of {t.people}
                </td>
                <td class="num">{t.kudosReceived}</td>
                <td class="num">{t.gini.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <BarChart title="Kudos by behaviour group" rows={data.byBehaviourGroup.map((g) => ({ key: g.group, name: g.group, count: g.count }))} emptyText="No kudos in this period yet." />
    </div>
  );
}
