import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Shell } from '../components/shell.js';
import { allPages, api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { Behaviour, Period } from '../lib/types.js';
import { usePeopleNames, type PeopleNames } from '../lib/use-people-names.js';
import { useMe } from '../lib/use-me.js';
import { initialPeriod, PeriodPicker } from '../scores/period-picker.js';
import { scoresPageTitle } from '../scores/scores-page-title.js';
import { ScoresView } from '../scores/scores-view.js';

/**
 * A giver's name for a line the server did not name (see ScoreLine.giverName); the API answers
 * 404 for people no longer in Shine, except to hr and admin.
 */
function giverNameFrom(names: PeopleNames): (id: string) => string {
  return (id) => {
    const n = names.lookup(id);
    return n.status === 'found' ? n.name : n.status === 'loading' ? 'Loading name…' : n.status === 'gone' ? 'Someone no longer in Shine' : 'Name unavailable';
  };
}

type PeriodsState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; periods: Period[] };

function ScoresPage() {
  const me = useMe();
  const [periods, setPeriods] = useState<PeriodsState>({ status: 'loading' });
  const [selected, setSelected] = useState<Period | null>(null);
  const [catalog, setCatalog] = useState<ReadonlyMap<string, Behaviour>>(new Map());
  const names = usePeopleNames(me !== null);

  useEffect(() => {
    allPages<Period>('/periods').then(
      (list) => {
        setPeriods({ status: 'ready', periods: list });
        setSelected(initialPeriod(list, new URLSearchParams(location.search).get('period')));
      },
      (err: unknown) => setPeriods({ status: 'error', message: describeError(err) }),
    );
    // Behaviour names are a nicety: without the catalog the keys still say which behaviour.
    api<Behaviour[]>('/behaviours').then(
      (list) => setCatalog(new Map(list.map((b) => [b.key, b]))),
      () => undefined,
    );
  }, []);

  const title = scoresPageTitle(me);
  useEffect(() => {
    document.title = `${title} · Shine`;
  }, [title]);

  const pick = (p: Period) => {
    setSelected(p);
    // Kept in the address so a period's view can be bookmarked and survives a reload.
    history.replaceState(null, '', `?period=${encodeURIComponent(p.id)}`);
  };

  return (
    <Shell me={me} section="scores">
      <h1>{title}</h1>
      <p class="lede">
        {me?.role === 'manager'
          ? 'Your score and your direct reports’ scores for a bonus period, each explained kudos by kudos.'
          : me?.role === 'hr' || me?.role === 'admin'
            ? 'Everyone’s scores for a bonus period, each explained kudos by kudos (HR manages periods on the HR page).'
            : 'Your score for a bonus period, explained kudos by kudos.'}
      </p>
      {(!me || periods.status === 'loading') && (
        <p class="hint" role="status">
          Loading periods…
        </p>
      )}
      {periods.status === 'error' && (
        <p class="error-text" role="alert">
          {periods.message}
        </p>
      )}
      {periods.status === 'ready' && periods.periods.length === 0 && <p class="empty-state">No bonus periods yet. Scores appear here once HR creates one.</p>}
      {me && periods.status === 'ready' && selected && (
        <>
          <PeriodPicker periods={periods.periods} selected={selected} onSelect={pick} />
          <ScoresView me={me} period={selected} giverName={giverNameFrom(names)} catalog={catalog} />
        </>
      )}
    </Shell>
  );
}

render(<ScoresPage />, document.getElementById('app') as HTMLElement);
