/**
 * Waiting for SQLite's write lock without stopping the event loop. SQLite's own busy handler
 * sleeps the calling thread in steps of up to 100 ms until the lock is free; on the event loop
 * that stops every request of the process, while the lock's holder (this process's kudos writer
 * thread, or another Shine process on the same file) usually lets go within a millisecond.
 * Writers here ask with the busy timeout off and, when refused, ask again on later event-loop
 * turns (lockRetryDelay), serving other requests meanwhile.
 */

/**
 * Asking again on every event-loop turn for the first 3 ms, then after 1 ms, then every 2 ms. Another
 * Shine's group commit holds the lock for well under a millisecond, fsync included, so most waits end
 * in the first stretch; waiting out a whole timer tick there left the lock free while writes waited
 * (two processes: ~6,000 → ~7,500 posts/s, docs/performance-history.md). A long hold (a close, an
 * import) gets the timers, which cost no CPU.
 */
const SPIN_MS = 3;
const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 2;

/** How long to wait before asking for the lock again: 0 means on the next event-loop turn. */
export function lockRetryDelay(waitedMs: number, lastDelayMs: number): number {
  if (waitedMs < SPIN_MS) return 0;
  return lastDelayMs > 0 ? Math.min(lastDelayMs * 2, MAX_RETRY_MS) : FIRST_RETRY_MS;
}

/** SQLITE_BUSY and its extended codes: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Runs `fn` after `delayMs` (0: on the next event-loop turn, after I/O); returns its cancel. */
export function later(fn: () => void, delayMs: number): () => void {
  if (delayMs === 0) {
    const immediate = setImmediate(fn);
    return () => clearImmediate(immediate);
  }
  const timer = setTimeout(fn, delayMs);
  return () => clearTimeout(timer);
}

/** `later` as a promise. */
export function pause(delayMs: number): Promise<void> {
  return new Promise((resolve) => later(resolve, delayMs));
}
