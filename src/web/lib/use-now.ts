import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, moved on every 30 s: "just now" turns into "5 minutes ago" on a page left
 * open, without waiting for new data to redraw it.
 */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const clock = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(clock);
  }, []);
  return now;
}
