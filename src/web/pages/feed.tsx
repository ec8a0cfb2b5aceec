import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Composer } from '../components/composer.js';
import { FeedFilters, filtersFromUrl, filtersToUrl, type FilterState } from '../components/feed-filters.js';
import { KudosCard, focusKudos } from '../components/kudos-card.js';
import { LiveBadge } from '../components/live-badge.js';
import { Shell } from '../components/shell.js';
import { api, query } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { HeardMeanwhile } from '../lib/heard-meanwhile.js';
import { applyUpdate, capFeed, cursorAfter, matchesFilter, mergeKudos, reconcileFirstPage, removeKudos, replaceKudos, sameFilter } from '../lib/kudos-list.js';
import { connectLive, type LiveStatus } from '../lib/live.js';
import { clearSession, loadSession, redirectToLogin, replacedToken } from '../lib/session.js';
import type { Behaviour, KudosView, Page } from '../lib/types.js';
import { useMe } from '../lib/use-me.js';
import { focusSoon } from '../lib/focus.js';
import { useNow } from '../lib/use-now.js';

const PAGE_SIZE = 20;
/** Live kudos alone never grow the list past this; pages asked for with "Load more" are kept. */
const MAX_LIVE_CARDS = 300;

function feedPath(f: FilterState, cursor: string | null): string {
  return `/kudos${query({ team: f.team, recipient: f.recipient, giver: f.giver, behaviour: f.behaviour, limit: PAGE_SIZE, cursor })}`;
}

function FeedPage() {
  const me = useMe();
  const [catalog, setCatalog] = useState<Behaviour[]>([]);
  const [filter, setFilter] = useState<FilterState>(filtersFromUrl);
  const [items, setItems] = useState<KudosView[]>([]);
  const now = useNow();
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Each failure offers its own retry: a failed page is asked for again from the same cursor, and
  // a failed catalog is fetched again, neither restarting the list.
  const [moreError, setMoreError] = useState<string | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<LiveStatus>('connecting');
  /** Bumped to open the live connection again with the session's current token. */
  const [liveGeneration, setLiveGeneration] = useState(0);
  const [announce, setAnnounce] = useState('');
  // The live handlers outlive renders; they read the current filter and list through refs.
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const meRef = useRef(me);
  meRef.current = me;
  // How many cards the list may hold, and a count of cuts: a "Load more" that went out before
  // a cut asked for what came after a card that is no longer the last one.
  const allowed = useRef(MAX_LIVE_CARDS);
  const cuts = useRef(0);
  const cutPending = useRef(false);
  // Pages read before a removal or update the socket already delivered are freshened with it.
  const meanwhile = useRef(new HeardMeanwhile());
  // First-page loads are numbered in the order they went out (`firstSent`); `firstFolded` is the
  // newest one folded in. `startOver` is the number of the newest load that starts the list over
  // (a filter change, a gap after a reconnect, "Try again"): loads sent before it are for another
  // filter or for a list with a hole, and until a load sent since it has answered, the list on
  // screen is still the one going away, and so is its "Load more" cursor.
  const firstSent = useRef(0);
  const firstFolded = useRef(0);
  const startOver = useRef(0);
  const startingOver = () => firstFolded.current < startOver.current;
  // Every request for the list shown (its first pages, its "Load more") goes out with this signal;
  // a start-over aborts it, so the browser stops waiting for answers it would drop. The checks
  // below (wanted) still decide what is shown: an answer can be in before the abort (a filter is
  // changed at render, the load that aborts goes out after it).
  const listRequests = useRef(new AbortController());

  /**
   * `replace` starts the list over; `reconcile` folds page 1 into the list shown. `retryButton` is
   * the "Try again" pressed: it goes with its message once the page loads.
   */
  const loadFirst = useCallback(async (f: FilterState, mode: 'replace' | 'reconcile', retryButton?: HTMLElement) => {
    const sent = ++firstSent.current;
    if (mode === 'replace') {
      startOver.current = sent;
      listRequests.current.abort();
      listRequests.current = new AbortController();
      setLoading(true);
    }
    const { signal } = listRequests.current;
    const listening = meanwhile.current.listen();
    // Dropped: an answer for a filter no longer asked for, or older than a start-over asked for
    // since, or older than a page already folded in (two were out across a reconnect: the older
    // could hold a kudos removed while the socket was down, which the newer took off for good).
    const wanted = () => sameFilter(f, filterRef.current) && sent >= startOver.current && sent > firstFolded.current;
    try {
      const page = await api<Page<KudosView>>(feedPath(f, null), { signal });
      if (!wanted()) return;
      // A reconcile that answers first for a start-over still out starts the list over itself:
      // the list it would fold into is the old filter's, or one with a hole.
      const replace = startingOver();
      firstFolded.current = sent;
      // Kudos heard live since the request went out are newer than the page; a new list keeps them.
      const fresh = listening.freshen(mergeKudos(page.items, listening.created().filter((k) => matchesFilter(k, f))));
      if (replace) {
        allowed.current = MAX_LIVE_CARDS;
        cutPending.current = false;
        setItems(fresh);
        setNext(page.nextCursor);
        setMoreError(null);
        setLoading(false);
        // The keyboard carries on from the first kudos it brought (or the heading, with none).
        if (retryButton && document.activeElement === retryButton) {
          if (fresh[0]) focusKudos(fresh[0]);
          else focusSoon('feed-title');
        }
      } else {
        // What the page answers for is what the list held before it went out, whichever load
        // brought it: kudos that arrived live since then stay.
        setItems((prev) => reconcileFirstPage(prev, fresh, page.nextCursor === null, listening.heldIn(prev)));
      }
      setError(null);
    } catch (err) {
      // Aborted: a start-over sent since made it obsolete (so wanted() says no as well); silent.
      if (signal.aborted || !wanted()) return;
      setError(describeError(err));
      if (sent === startOver.current) setLoading(false);
    } finally {
      listening.end();
    }
  }, []);

  const loadCatalog = async (retryButton: HTMLElement | null) => {
    try {
      setCatalog(await api<Behaviour[]>('/behaviours'));
      setCatalogError(null);
      // The message and its button go; the keyboard carries on to the behaviours it brought.
      if (retryButton && document.activeElement === retryButton) focusSoon(() => document.querySelector<HTMLElement>('.behaviour-picker summary'));
    } catch (err) {
      setCatalogError(describeError(err));
    }
  };
  useEffect(() => void loadCatalog(null), []);

  useEffect(() => {
    filtersToUrl(filter);
    void loadFirst(filter, 'replace');
  }, [filter.team, filter.recipient, filter.giver, filter.behaviour]);

  // A tab left open for days: the oldest cards go, and "Load more" continues after the last kept.
  // The cut is an updater, so live kudos queued meanwhile are not lost; the cursor follows once
  // the cut list has rendered.
  useEffect(() => {
    if (items.length > allowed.current) {
      cuts.current++;
      cutPending.current = true;
      setItems((prev) => capFeed(prev, allowed.current, filterRef.current).items);
      return;
    }
    const last = items[items.length - 1];
    if (!cutPending.current || !last) return;
    cutPending.current = false;
    cuts.current++;
    setNext(cursorAfter(last, filterRef.current));
  }, [items]);

  const markFresh = (id: string) => {
    setFresh((s) => new Set(s).add(id));
    setTimeout(() => setFresh((s) => {
      const n = new Set(s);
      n.delete(id);
      return n;
    }), 2500);
  };

  useEffect(() => {
    const session = loadSession();
    if (!session) return;
    const conn = connectLive(session.token, {
      created(k) {
        meanwhile.current.created(k);
        if (!matchesFilter(k, filterRef.current) || itemsRef.current.some((x) => x.id === k.id)) return;
        setItems((prev) => mergeKudos(prev, [k]));
        markFresh(k.id);
        // My own kudos is announced by the composer ("Kudos sent to …"); its live event may
        // arrive before the POST answer, and saying it twice is noise.
        if (k.giver.id === meRef.current?.id) return;
        setAnnounce(`New kudos: ${k.giver.name} thanked ${k.recipients.map((r) => r.name).join(', ')}.`);
      },
      updated(u) {
        meanwhile.current.updated(u);
        setItems((prev) => applyUpdate(prev, u));
      },
      removed(id) {
        meanwhile.current.removed(id);
        setItems((prev) => removeKudos(prev, id));
      },
      status: setStatus,
      unauthorized() {
        // A password changed in another tab of this browser ended this connection, and that tab
        // stores a new token: carry on with it instead of signing this tab out.
        void replacedToken(session.token).then((token) => {
          if (token) return setLiveGeneration((g) => g + 1);
          clearSession();
          redirectToLogin();
        });
      },
      newest: () => itemsRef.current[0] ?? null,
      resync: (gap) => void loadFirst(filterRef.current, gap ? 'replace' : 'reconcile'),
    });
    return () => conn.close();
  }, [liveGeneration]);

  const loadMore = async (e: Event) => {
    // While the list starts over, its cursor belongs to the list going away (another filter's).
    if (!next || startingOver()) return;
    const list = startOver.current;
    const cut = cuts.current;
    const button = e.currentTarget as HTMLElement;
    const listening = meanwhile.current.listen();
    const { signal } = listRequests.current;
    // The filter changed (or the list started over, aborting this request) meanwhile: this page
    // belongs to another list.
    const wanted = () => list === startOver.current && cut === cuts.current && sameFilter(filter, filterRef.current);
    try {
      const page = await api<Page<KudosView>>(feedPath(filter, next), { signal });
      if (!wanted()) return;
      const fresh = listening.freshen(page.items);
      allowed.current = Math.max(MAX_LIVE_CARDS, itemsRef.current.length + fresh.length);
      const held = new Set(itemsRef.current.map((k) => k.id));
      setItems((prev) => mergeKudos(prev, fresh));
      setNext(page.nextCursor);
      setMoreError(null);
      // The last page removes the button; a keyboard user carries on from the first kudos it brought.
      if (!page.nextCursor && document.activeElement === button) focusKudos(fresh.find((k) => !held.has(k.id)));
    } catch (err) {
      if (wanted()) setMoreError(`${describeError(err)} Press “Load more” to try again.`);
    } finally {
      listening.end();
    }
  };

  const onPosted = (k: KudosView) => {
    meanwhile.current.created(k);
    if (!matchesFilter(k, filter)) return;
    setItems((prev) => mergeKudos(prev, [k]));
    markFresh(k.id);
  };
  // Stable, so that a card whose kudos did not change skips rendering (KudosCard).
  const onChange = useCallback((k: KudosView) => setItems((prev) => replaceKudos(prev, k)), []);
  // My own kudos, deleted from its card: gone from the list (its live removal may come later, or
  // first), said out loud, and the keyboard carries on from the next card, or the heading.
  const onDeleted = useCallback((k: KudosView) => {
    meanwhile.current.removed(k.id);
    const at = itemsRef.current.findIndex((x) => x.id === k.id);
    const after = itemsRef.current.filter((x) => x.id !== k.id)[at];
    setItems((prev) => removeKudos(prev, k.id));
    setAnnounce('Your kudos was deleted.');
    if (after) focusKudos(after);
    else focusSoon('feed-title');
  }, []);

  return (
    <Shell me={me} section="feed">
      <div class="feed-layout">
        <div class="feed-side">
          <Composer me={me} catalog={catalog} onPosted={onPosted} />
          <FeedFilters value={filter} catalog={catalog} onChange={setFilter} />
        </div>
        <section class="feed-main" aria-labelledby="feed-title">
          <div class="feed-heading">
            <h1 id="feed-title" tabIndex={-1}>
              Recognition feed
            </h1>
            <LiveBadge status={status} />
          </div>
          <p class="visually-hidden" aria-live="polite">
            {announce}
          </p>
          {error && (
            <p class="error-text" role="alert">
              {error}{' '}
              <button type="button" class="button-quiet button-small" onClick={(e) => loadFirst(filter, 'replace', e.currentTarget)}>
                Try again
              </button>
            </p>
          )}
          {catalogError && (
            <p class="error-text" role="alert">
              The behaviours could not be loaded: {catalogError}{' '}
              <button type="button" class="button-quiet button-small" onClick={(e) => loadCatalog(e.currentTarget)}>
                Try again
              </button>
            </p>
          )}
          {loading && items.length === 0 && <p class="hint">Loading kudos…</p>}
          {!loading && items.length === 0 && !error && (
            <div class="empty-state">
              <p>{filter.team || filter.recipient || filter.giver || filter.behaviour ? 'No kudos match these filters yet.' : 'No kudos yet. Be the first to thank someone!'}</p>
            </div>
          )}
          <div class="feed-list" data-testid="feed-list">
            {items.map((k) => (
              <KudosCard key={k.id} k={k} fresh={fresh.has(k.id)} now={now} onChange={onChange} meId={me?.id} onDeleted={onDeleted} />
            ))}
          </div>
          {next && !loading && moreError && (
            <p class="error-text" role="alert">
              {moreError}
            </p>
          )}
          {/* Hidden while the list starts over: its cursor is the old list's. */}
          {next && !loading && (
            <button type="button" class="button-secondary button-wide" onClick={loadMore}>
              Load more
            </button>
          )}
        </section>
      </div>
    </Shell>
  );
}

render(<FeedPage />, document.getElementById('app') as HTMLElement);
