import { relativeTime } from '../lib/format.js';
import type { KudosView } from '../lib/types.js';
import { useRef } from 'preact/hooks';
import { useFitHero } from './fit-hero.js';
import { NameList } from './tv-names.js';
import { BidiList } from '../components/bidi-list.js';

/** Characters of names the hero and an earlier kudos show before counting the rest (tv-names.tsx). */
const HERO_NAMES = 300;
const RECENT_NAMES = 90;

/** The newest kudos, large. Keyed by id by the caller, so the arrival animation (and the fitting) replays. */
export function HeroKudos({ k, now }: { k: KudosView; now: number }) {
  const ref = useRef<HTMLElement>(null);
  useFitHero(ref);
  return (
    <article ref={ref} class="tv-hero" data-kudos-id={k.id} aria-labelledby={`tv-${k.id}`}>
      <p class="tv-eyebrow">
        <bdi>{k.giver.name}</bdi> thanked
      </p>
      <h1 id={`tv-${k.id}`} class="tv-recipients">
        <NameList names={k.recipients.map((r) => r.name)} budget={HERO_NAMES} />
      </h1>
      <ul class="tv-chips" aria-label="Behaviours">
        {k.behaviours.map((b) => (
          <li key={b.key}>
            <bdi>{b.name}</bdi>
          </li>
        ))}
      </ul>
      <blockquote class={k.message.length > 280 ? 'tv-message-text long' : 'tv-message-text'}>
        {/* dir="auto": a message takes the direction of its own first letters (Arabic, Hebrew: right to left). */}
        <p dir="auto">{k.message}</p>
      </blockquote>
      <p class="tv-meta">{relativeTime(k.createdAt, now)}</p>
    </article>
  );
}

/** The few before it, smaller, so the wall shows momentum. */
export function RecentKudos({ items, now }: { items: KudosView[]; now: number }) {
  if (items.length === 0) return null;
  return (
    <section class="tv-recent" aria-label="Earlier kudos">
      <ol>
        {items.map((k) => (
          <li key={k.id} class="tv-recent-item" data-kudos-id={k.id}>
            <p class="tv-recent-who">
              <strong>
                <NameList names={k.recipients.map((r) => r.name)} budget={RECENT_NAMES} />
              </strong>
              <span class="tv-muted">
                {' '}
                from <bdi>{k.giver.name}</bdi>
              </span>
            </p>
            <p class="tv-recent-behaviours">
              <BidiList items={k.behaviours.map((b) => b.name)} separator=" · " />
            </p>
            <p class="tv-recent-message" dir="auto">
              {k.message}
            </p>
            <p class="tv-muted tv-small">{relativeTime(k.createdAt, now)}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
