import { Fragment } from 'preact';

/**
 * The names that fit `budget` characters (always the first), so the rest can be counted instead.
 * The wall shrinks a crowded hero's type, but twenty names at the 120-character limit fill it even
 * at the smallest size, and fill the whole "earlier kudos" column: the giver, the behaviours and
 * the message were cut off. Counted in code points, as the API counts names.
 */
export function namesWithin(names: readonly string[], budget: number): string[] {
  const shown: string[] = [];
  let used = 0;
  for (const name of names) {
    const cost = [...name].length + (shown.length ? 2 : 0);
    if (shown.length > 0 && used + cost > budget) break;
    shown.push(name);
    used += cost;
  }
  return shown;
}

/** "Ana, Bo and 18 others", each name isolated (<bdi>) so a right-to-left name cannot reorder the commas around it. */
export function NameList({ names, budget }: { names: readonly string[]; budget: number }) {
  const shown = namesWithin(names, budget);
  const hidden = names.length - shown.length;
  const parts = shown.map((n, i) => <bdi key={i}>{n}</bdi>);
  if (hidden > 0) parts.push(<Fragment key="rest">{hidden === 1 ? '1 other' : `${hidden} others`}</Fragment>);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i === 0 ? '' : i === parts.length - 1 ? ' and ' : ', '}
          {p}
        </Fragment>
      ))}
    </>
  );
}
