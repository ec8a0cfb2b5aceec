import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { BarChart, countBehaviours } from '../components/bar-chart.js';
import { Avatar, KudosCard, focusKudos } from '../components/kudos-card.js';
import { PasswordForm } from '../components/password-form.js';
import { Shell } from '../components/shell.js';
import { ApiError, api, query } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { mergeKudos, replaceKudos } from '../lib/kudos-list.js';
import type { BehaviourCount, KudosView, Page, UserSummary, UserView } from '../lib/types.js';
import { useMe } from '../lib/use-me.js';
import { useNow } from '../lib/use-now.js';

const personId = decodeURIComponent(location.pathname.split('/')[2] ?? '');

interface Counts {
  received: number;
  given: number;
  receivedBy: BehaviourCount[];
  givenBy: BehaviourCount[];
  /** True when counted from the visible kudos because the summary is not ours to read. */
  /** Set when the counts come from the kudos the viewer can see, not from the person's summary. */
  note: string | null;
}

/** The summary when the viewer may read it (self, manager, hr); otherwise counted from what they can see. */
async function loadCounts(id: string): Promise<Counts> {
  try {
    const s = await api<UserSummary>(`/users/${encodeURIComponent(id)}/summary`);
    const c = s.counts;
    return { received: c.receivedTotal, given: c.givenTotal, receivedBy: c.receivedByBehaviour, givenBy: c.givenByBehaviour, note: null };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const [r, g] = await Promise.all([
      api<Page<KudosView>>(`/kudos${query({ recipient: id, limit: 100 })}`),
      api<Page<KudosView>>(`/kudos${query({ giver: id, limit: 100 })}`),
    ]);
    return { received: r.items.length, given: g.items.length, receivedBy: countBehaviours(r.items), givenBy: countBehaviours(g.items), note: r.nextCursor || g.nextCursor ? 'Counted from the most recent kudos you can see.' : 'Counted from the kudos you can see.' };
  }
}

/**
 * The person from the directory, which leaves out people no longer in Shine except for hr and
 * admin. Their manager may still read their summary (the API allows it, as for a closed period's
 * scores, whose rows link here), so the summary's own copy of the person is asked for next,
 * rather than telling the manager there is no such person.
 */
async function loadPerson(id: string): Promise<UserView> {
  try {
    return await api<UserView>(`/users/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    try {
      return (await api<UserSummary>(`/users/${encodeURIComponent(id)}/summary`)).user;
    } catch {
      throw err;
    }
  }
}

function KudosColumn({ title, filter, id, now }: { title: string; filter: 'recipient' | 'giver'; id: string; now: number }) {
  const [items, setItems] = useState<KudosView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async (cursor: string | null, button?: EventTarget | null) => {
    try {
      const page = await api<Page<KudosView>>(`/kudos${query({ [filter]: id, limit: 10, cursor })}`);
      const held = new Set(items.map((k) => k.id));
      setItems((prev) => mergeKudos(cursor ? prev : [], page.items));
      setNext(page.nextCursor);
      setLoaded(true);
      // The last page removes the button; a keyboard user carries on from the first kudos it brought.
      if (cursor && !page.nextCursor && button && document.activeElement === button) focusKudos(page.items.find((k) => !held.has(k.id)));
    } catch (err) {
      setError(describeError(err));
    }
  };
  useEffect(() => void load(null), [id]);
  const headingId = `col-${filter}`;
  return (
    <section class="profile-column" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {loaded && items.length === 0 && <p class="hint">Nothing here yet.</p>}
      {items.map((k) => (
        <KudosCard key={k.id} k={k} now={now} onChange={(n) => setItems((prev) => replaceKudos(prev, n))} />
      ))}
      {next && (
        <button type="button" class="button-secondary button-wide" onClick={(e) => load(next, e.currentTarget)}>
          Load more
        </button>
      )}
    </section>
  );
}

function ProfilePage() {
  const me = useMe();
  const [person, setPerson] = useState<UserView | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    if (!personId) return setError('No such person.');
    loadPerson(personId).then(
      (p) => {
        setPerson(p);
        document.title = `${p.name} · Shine`;
      },
      (err: unknown) => setError(err instanceof ApiError && err.status === 404 ? 'No such person, or they are not visible to you.' : describeError(err)),
    );
    loadCounts(personId).then(setCounts, () => setCounts(null));
  }, []);

  const isMe = me?.id === personId;
  return (
    <Shell me={me} section={isMe ? 'profile' : 'other'}>
      {error && (
        <div class="card">
          <h1>Profile</h1>
          <p class="error-text" role="alert">
            {error}
          </p>
          <a href="/">Back to the feed</a>
        </div>
      )}
      {person && (
        <>
          <section class="card profile-head" aria-labelledby="profile-name">
            <Avatar person={person} />
            <div>
              <h1 id="profile-name">
                <bdi>{person.name}</bdi>
              </h1>
              <p class="muted">
                <bdi>{person.team}</bdi>
                {person.active ? '' : ' · no longer active'}
              </p>
            </div>
            {counts && (
              <dl class="stat-pair">
                <div>
                  <dt>Kudos received</dt>
                  <dd data-testid="received-total">{counts.received}</dd>
                </div>
                <div>
                  <dt>Kudos given</dt>
                  <dd>{counts.given}</dd>
                </div>
              </dl>
            )}
          </section>
          {counts && (
            <section class="card" aria-labelledby="by-behaviour">
              <h2 id="by-behaviour">Recognised for</h2>
              {counts.note && <p class="hint">{counts.note}</p>}
              <div class="chart-grid">
                <BarChart title="Behaviours in kudos received" rows={counts.receivedBy} emptyText="No kudos received yet." />
                <BarChart title="Behaviours in kudos given" rows={counts.givenBy} emptyText="No kudos given yet." />
              </div>
            </section>
          )}
          <div class="profile-columns">
            <KudosColumn title="Received" filter="recipient" id={person.id} now={now} />
            <KudosColumn title="Given" filter="giver" id={person.id} now={now} />
          </div>
          {/* Only on one's own profile: the signed-in user (GET /me, or its cache) is this person. */}
          {me && isMe && <PasswordForm email={me.email} />}
        </>
      )}
    </Shell>
  );
}

render(<ProfilePage />, document.getElementById('app') as HTMLElement);
