import { useRef } from 'preact/hooks';
import { BarChart } from './bar-chart.js';
import { LoadError } from './load-error.js';
import { ShowMore, useShownCount } from './show-more.js';
import type { Period, PersonRef } from '../lib/types.js';
import { usePeriodInsights } from '../lib/use-period-insights.js';

/** The level of the headings inside the insights: under HR's h3 they are h4, under a card's h2 they are h3. */
type Level = 3 | 4;

function PeopleList({ title, people, empty, level, testId }: { title: string; people: PersonRef[]; empty: string; level: Level; testId: string }) {
  const Heading = level === 3 ? 'h3' : 'h4';
  // A period just begun has the whole company in both lists: 20,000 names drawn at once froze the page.
  const list = useRef<HTMLUListElement>(null);
  const { limit, more } = useShownCount((i) => list.current?.querySelectorAll<HTMLElement>(':scope > li > a')[i]);
  return (
    <section class="insight-block" data-testid={testId}>
      <Heading>
        {title} ({people.length})
      </Heading>
      {people.length === 0 ? (
        <p class="hint">{empty}</p>
      ) : (
        <ul class="name-list" ref={list}>
          {people.slice(0, limit).map((p) => (
            <li key={p.id}>
              <a href={`/people/${encodeURIComponent(p.id)}`}>
                <bdi>{p.name}</bdi>
              </a>{' '}
              <bdi class="muted">{p.team}</bdi>
            </li>
          ))}
        </ul>
      )}
      <ShowMore shown={Math.min(limit, people.length)} total={people.length} noun="people" list={title} onMore={more} />
    </section>
  );
}

/**
 * Where recognition is thin in a period: who received or gave nothing, and how even teams are.
 * HR reads it for everyone on /hr; a manager for their direct reports on /scores (`reportsOnly`).
 * `headingId` is the (focusable) heading it is shown under, where "Try again" leaves the keyboard.
 */
export function PeriodInsights({ period, headingId, reportsOnly = false, level = 4 }: { period: Period; headingId: string; reportsOnly?: boolean; level?: Level }) {
  const { state, retry } = usePeriodInsights(period, reportsOnly);
  if (state.status === 'error') return <LoadError message={state.message} onRetry={retry} focusAfter={headingId} />;
  if (state.status === 'loading') return <p class="hint">Loading insights…</p>;
  const { data } = state;
  // No one in scope: "everyone received a kudos" would be true of no one, so say what is the case.
  if (data.byTeam.length === 0) {
    return <p class="hint">{reportsOnly ? 'No one reports to you in Shine now, so there is no one to show.' : 'No one is active in Shine yet.'}</p>;
  }
  // Insights count live data, closed periods too: "yet" only while kudos can still arrive.
  const yet = period.status === 'closed' ? '' : ' yet';
  return (
    <div class="insights">
      <div class="insight-grid">
        <PeopleList title={`Not recognised${yet}`} people={data.receivedNothing} empty="Everyone received at least one kudos." level={level} testId="received-nothing" />
        <PeopleList title="Has not thanked anyone" people={data.gaveNothing} empty="Everyone gave at least one kudos." level={level} testId="gave-nothing" />
      </div>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="By team">
        <table class="table" data-testid="insights-by-team">
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
                <th scope="row">
                  <bdi>{t.team}</bdi>
                </th>
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
