/**
 * Watches how long the event loop goes without running an interval timer: the longest gap, and
 * how many gaps exceeded a threshold. The stretch still running when it stops counts too; stopping
 * again returns the same figures.
 */
export function watchStalls(intervalMs: number, overMs = Number.POSITIVE_INFINITY): { stop(): { longestMs: number; over: number } } {
  let last = performance.now();
  let longestMs = 0;
  let over = 0;
  const note = (now: number) => {
    const gap = now - last;
    longestMs = Math.max(longestMs, gap);
    if (gap > overMs) over++;
    last = now;
  };
  const tick = setInterval(() => note(performance.now()), intervalMs);
  let result: { longestMs: number; over: number } | null = null;
  return {
    stop() {
      if (!result) {
        clearInterval(tick);
        note(performance.now());
        result = { longestMs, over };
      }
      return result;
    },
  };
}
