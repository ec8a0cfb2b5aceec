import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { SunMark } from '../components/shell.js';
import { ApiError, api, query } from '../lib/api.js';
import { HeardMeanwhile } from '../lib/heard-meanwhile.js';
import { applyUpdate, mergeKudos, reconcileFirstPage, removeKudos } from '../lib/kudos-list.js';
import { connectLive, type LiveConnection, type LiveStatus } from '../lib/live.js';
import type { DisplayStats, KudosView, Page } from '../lib/types.js';
import { NoTokenScreen, RevokedScreen, WaitingScreen } from './screens.js';
import { scheduleDailyReload } from './keep-alive.js';
import { StatsStrip } from './stats-strip.js';
import { forgetDisplayToken } from './token.js';
import { HeroKudos, RecentKudos } from './tv-kudos.js';

const KEEP = 20;
const RECENT_SHOWN = 4;
const STATS_EVERY_MS = 60_000;
const OFFLINE_GRACE_MS = 3000;
/** The server caches /display/stats for 15 s; asking sooner after a kudos would return the old totals. */
const STATS_AFTER_KUDOS_MS = 16_000;

type Phase = 'starting' | 'live' | 'revoked';

const isRefused = (err: unknown) => err instanceof ApiError && err.status === 401;
const backoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt) * (0.5 + Math.random());

/**
 * The TV wall. Never asks anyone to log in: it shows the feed, waits, or says it was revoked.
 * HTTP loads retry with backoff until they succeed; the live connection reconnects by itself.
 */
export function DisplayApp({ token }: { token: string | null }) {
  const [phase, setPhase] = useState<Phase>('starting');
  const [items, setItems] = useState<KudosView[]>([]);
  const [stats, setStats] = useState<DisplayStats | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [offlineShown, setOfflineShown] = useState(false);
  const [now, setNow] = useState(Date.now());
  const [generation, setGeneration] = useState(0);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  const conn = useRef<LiveConnection | null>(null);
  const statsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const meanwhile = useRef(new HeardMeanwhile());
  // Reloads in the order they went out, and the newest one folded in so far.
  const reloadsSent = useRef(0);
  const reloadFolded = useRef(0);

  const revoke = useCallback(() => {
    conn.current?.close();
    if (statsTimer.current) clearTimeout(statsTimer.current);
    statsTimer.current = null;
    forgetDisplayToken();
    setPhase('revoked');
  }, []);

  /** The first page of the feed, reconciled with what is on screen; false if it failed. */
  const loadFeed = useCallback(async (): Promise<boolean> => {
    // The page may have been read before a removal the socket has already delivered (heard-meanwhile.ts).
    const listening = meanwhile.current.listen();
    const sent = ++reloadsSent.current;
    try {
      const page = await api<Page<KudosView>>(`/kudos${query({ limit: KEEP })}`, { token, redirectOn401: false });
      // A later reload answered first (two were out across a reconnect): this older page could
      // hold a kudos removed while the socket was down, which the later one took off for good.
      if (sent < reloadFolded.current) return true;
      reloadFolded.current = sent;
      const fresh = listening.freshen(page.items);
      // Held: what the wall showed before this reload went out, whenever that answer lands.
      setItems((prev) => reconcileFirstPage(prev, fresh, page.nextCursor === null, listening.heldIn(prev), KEEP));
      setPhase((p) => (p === 'starting' ? 'live' : p));
      return true;
    } catch (err) {
      if (isRefused(err)) revoke();
      return false;
    } finally {
      listening.end();
    }
  }, []);

  const loadStats = useCallback(() => {
    if (phaseRef.current === 'revoked') return;
    api<DisplayStats>('/display/stats', { token, redirectOn401: false }).then(setStats, (err: unknown) => isRefused(err) && revoke());
  }, []);

  /** Totals move with each kudos; one refresh after a burst is enough. */
  const statsSoon = () => {
    if (statsTimer.current) return;
    statsTimer.current = setTimeout(() => {
      statsTimer.current = null;
      loadStats();
    }, STATS_AFTER_KUDOS_MS);
  };

  // First load, retried until the server answers (it may be down when the TV powers on).
  useEffect(() => {
    if (!token) return;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (await loadFeed()) return;
      if (phaseRef.current !== 'revoked') timer = setTimeout(tick, backoff(attempt++));
    };
    void tick();
    return () => clearTimeout(timer);
  }, []);

  // Totals, the clock and the daily reload run while the wall is on air; a revoked wall stops
  // asking for good (its daily reload used to ask for the feed again with the revoked token).
  const revoked = phase === 'revoked';
  useEffect(() => {
    if (!token || revoked) return;
    loadStats();
    const every = setInterval(loadStats, STATS_EVERY_MS);
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    const stopReloading = scheduleDailyReload();
    return () => {
      clearInterval(every);
      clearInterval(clock);
      stopReloading();
    };
  }, [revoked]);

  // The live connection; a new generation replaces it after an unconfirmed refusal.
  useEffect(() => {
    if (!token || phaseRef.current === 'revoked') return;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    /** Reloads the first page, retrying with backoff: a wall must not stay stale after a failed reload. */
    const reload = (attempt = 0) => {
      clearTimeout(retry);
      void loadFeed().then((ok) => {
        if (!ok && !closed && phaseRef.current !== 'revoked') retry = setTimeout(() => reload(attempt + 1), backoff(attempt));
      });
    };
    const c = connectLive(token, {
      created(k) {
        meanwhile.current.created(k);
        if (itemsRef.current.some((x) => x.id === k.id)) return;
        setItems((prev) => mergeKudos(prev, [k], KEEP));
        setPhase((p) => (p === 'revoked' ? p : 'live'));
        statsSoon();
      },
      updated(u) {
        meanwhile.current.updated(u);
        setItems((prev) => applyUpdate(prev, u));
      },
      removed(id) {
        meanwhile.current.removed(id);
        setItems((prev) => removeKudos(prev, id));
        statsSoon();
      },
      status(s) {
        setStatus(s);
        if (s === 'online') loadStats();
      },
      unauthorized(reason) {
        if (reason === 'revoked') return revoke();
        // Confirm over HTTP before giving up for good: only a refused token there too is final.
        api<DisplayStats>('/display/stats', { token, redirectOn401: false }).then(
          () => setTimeout(() => setGeneration((g) => g + 1), 5000),
          (err: unknown) => (isRefused(err) ? revoke() : setTimeout(() => setGeneration((g) => g + 1), 10_000)),
        );
      },
      newest: () => itemsRef.current[0] ?? null,
      resync: () => reload(),
    });
    conn.current = c;
    return () => {
      closed = true;
      clearTimeout(retry);
      c.close();
    };
  }, [generation]);

  // A blip of a second or two is not worth a message on a wall.
  useEffect(() => {
    if (status === 'online') return setOfflineShown(false);
    const t = setTimeout(() => setOfflineShown(true), OFFLINE_GRACE_MS);
    return () => clearTimeout(t);
  }, [status]);

  if (!token) return <NoTokenScreen />;
  if (phase === 'revoked') return <RevokedScreen />;
  const [hero, ...rest] = items;
  return (
    <div class="tv">
      <header class="tv-header">
        <p class="tv-brand">
          <SunMark />
          <span>Shine</span>
        </p>
        <p class={offlineShown ? 'tv-status offline' : 'tv-status'} role="status" data-testid="display-status" data-status={offlineShown ? 'offline' : status}>
          {offlineShown ? 'Offline · reconnecting…' : ''}
        </p>
      </header>
      <main class="tv-main">
        {hero ? (
          <>
            <HeroKudos key={hero.id} k={hero} now={now} />
            <RecentKudos items={rest.slice(0, RECENT_SHOWN)} now={now} />
          </>
        ) : (
          <WaitingScreen starting={phase === 'starting'} />
        )}
      </main>
      <StatsStrip stats={stats} />
    </div>
  );
}
