/**
 * Housekeeping for a screen that runs unattended for weeks: keep it awake, and reload once a
 * day (only when the server is ready to serve it) so it picks up new releases and starts from a clean slate.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_MS = 60 * 60 * 1000;

interface WakeLockLike {
  request(type: 'screen'): Promise<unknown>;
}

export function keepScreenAwake(): void {
  const wl = (navigator as Navigator & { wakeLock?: WakeLockLike }).wakeLock;
  if (!wl) return;
  const ask = () => void wl.request('screen').catch(() => undefined);
  ask();
  // The lock is dropped whenever the page is hidden; ask again when it comes back.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && ask());
}

/** Returns the function that stops it: a revoked wall has nothing to reload for. */
export function scheduleDailyReload(startedAt = Date.now()): () => void {
  const every = setInterval(() => {
    if (Date.now() - startedAt < DAY_MS) return;
    // /readyz, not /healthz: a process whose storage is away, or that is draining for a deploy,
    // answers /healthz too, and the reloaded wall would sit on "Starting…" instead of its kudos.
    fetch('/readyz', { cache: 'no-store' }).then(
      (r) => r.ok && location.reload(),
      () => undefined,
    );
  }, CHECK_MS);
  return () => clearInterval(every);
}
