import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { DisplayStats } from '../lib/types.js';

const ROTATE_MS = 9000;

interface Slide {
  key: string;
  label: ComponentChildren;
  text: ComponentChildren;
}

/** "A (3) · B (2)", each name in its own <bdi>, so a right-to-left one keeps its count beside it. */
function counted(rows: readonly { name: string; count: number }[], withParens = true) {
  return rows.map((r, i) => (
    <Fragment key={i}>
      {i > 0 && ' · '}
      <bdi>{r.name}</bdi> {withParens ? `(${r.count})` : r.count}
    </Fragment>
  ));
}

/** The slides worth showing now; empty categories are skipped rather than shown as zeros. */
export function slidesOf(s: DisplayStats): Slide[] {
  const month = new Intl.DateTimeFormat(undefined, { month: 'long', timeZone: 'UTC' }).format(new Date(s.from));
  // A team wall says whose month it counts, so no one reads its totals as the company's.
  const whose = s.team ? (
    <>
      <bdi>{s.team}</bdi> this month
    </>
  ) : (
    'This month'
  );
  const slides: Slide[] = [{ key: 'total', label: <>{whose} ({month})</>, text: s.kudosCount === 0 ? 'No kudos yet. Who will be first?' : s.kudosCount === 1 ? '1 kudos given' : `${s.kudosCount} kudos given` }];
  if (s.topBehaviours.length) slides.push({ key: 'behaviours', label: 'Top behaviours', text: counted(s.topBehaviours.slice(0, 3)) });
  if (s.topRecipients.length) slides.push({ key: 'people', label: 'Most thanked', text: counted(s.topRecipients.slice(0, 3)) });
  if (s.teams.length > 1) slides.push({ key: 'teams', label: 'Teams', text: counted(s.teams.slice(0, 4).map((t) => ({ name: t.team, count: t.count })), false) });
  return slides;
}

/** A slow rotating strip of this month's totals; motion stops for people who asked for less. */
export function StatsStrip({ stats }: { stats: DisplayStats | null }) {
  const [i, setI] = useState(0);
  const slides = stats ? slidesOf(stats) : [];
  useEffect(() => {
    if (slides.length < 2) return;
    const t = setInterval(() => setI((n) => n + 1), ROTATE_MS);
    return () => clearInterval(t);
  }, [slides.length]);
  if (slides.length === 0) return <footer class="tv-strip" />;
  const slide = slides[i % slides.length] as Slide;
  return (
    <footer class="tv-strip" data-testid="display-stats">
      <div class="tv-strip-slide" key={slide.key}>
        <span class="tv-strip-label">{slide.label}</span>
        <span class="tv-strip-text">{slide.text}</span>
      </div>
      {slides.length > 1 && (
        <ol class="tv-strip-dots" aria-hidden="true">
          {slides.map((s, j) => (
            <li key={s.key} class={j === i % slides.length ? 'on' : ''} />
          ))}
        </ol>
      )}
    </footer>
  );
}
