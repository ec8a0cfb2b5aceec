/**
 * Growth of one measure over one phase of the soak: where it started, where it ended, the
 * least-squares slope per unit of work (per 1,000 kudos, per 100 reconnects), and whether the
 * second half of the phase still grew. A cache filling up grows early and then stays; a leak
 * grows in the second half as much as in the first.
 */
export interface Point {
  /** Work done so far in the phase: kudos posted, reconnects, simulated hours. */
  x: number;
  y: number;
}

export interface Growth {
  first: number;
  last: number;
  /** Change of y per `per` units of x over the whole phase. */
  slope: number;
  /** The same over the second half of the phase only. */
  lateSlope: number;
  /** Whether the second half grew by more than `tolerance` of the level (or `floor`, if larger). */
  grows: boolean;
}

export function slope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

export function growth(points: readonly Point[], per: number, o: { tolerance: number; floor: number }): Growth {
  const first = points[0]?.y ?? Number.NaN;
  const last = points[points.length - 1]?.y ?? Number.NaN;
  const late = points.slice(Math.floor((points.length - 1) / 2));
  const lateFirst = late[0];
  const lateLast = late[late.length - 1];
  const lateRise = lateFirst && lateLast ? lateLast.y - lateFirst.y : Number.NaN;
  return {
    first,
    last,
    slope: slope(points) * per,
    lateSlope: slope(late) * per,
    grows: lateRise > Math.max(o.floor, o.tolerance * Math.abs(lateFirst?.y ?? 0)),
  };
}
