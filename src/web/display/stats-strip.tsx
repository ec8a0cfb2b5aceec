import { useEffect, useState } from 'preact/hooks';
import type { DisplayStats } from '../lib/types.js';

const ROTATE_MS = 9000;

interface Slide {
  key: string;
  label: string;
  text: string;
}

/** The slides worth showing now; empty categories are skipped rather than shown as zeros. */
export function slidesOf(s: DisplayStats): Slide[] {
  const month = new Intl.DateTimeFormat(undefined, { month: 'long', timeZone: 'UTC' }).format(new Date(s.from));
  // A team wall says whose month it counts, so no one reads its totals as the company's.
  const whose = s.team ? `${s.team} this month` : 'This month';
  const slides: Slide[] = [{ key: 'total', label: `${whose} (${month})`, text: s.kudosCount === 0 ? 'No kudos yet. Who will be first?' : s.kudosCount === 1 ? '1 kudos given' : `${s.kudosCount} kudos given` }];
  if (s.topBehaviours.length) slides.push({ key: 'behaviours', label: 'Top behaviours', text: s.topBehaviours.slice(0, 3).map((b) => `${b.name} (${b.count})`).join(' · ') });
  if (s.topRecipients.length) slides.push({ key: 'people', label: 'Most thanked', text: s.topRecipients.slice(0, 3).map((r) => `${r.name} (${r.count})`).join(' · ') });
  if (s.teams.length > 1) slides.push({ key: 'teams', label: 'Teams', text: s.teams.slice(0, 4).map((t) => `${t.team} ${t.count}`).join(' · ') });
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
