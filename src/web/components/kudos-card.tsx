import { Component } from 'preact';
import { useState } from 'preact/hooks';
import { formatDateTime, relativeTime } from '../lib/format.js';
import { avatarTone, initialsOf, profileHref } from '../lib/people.js';
import type { KudosView, PersonRef } from '../lib/types.js';
import { Comments } from './comments.js';
import { DeleteKudos, canDelete } from './delete-kudos.js';
import { IconComment, IconLock } from './icons.js';
import { Reactions } from './reactions.js';
import { focusSoon } from '../lib/focus.js';

export function Avatar({ person, size = 'normal' }: { person: PersonRef; size?: 'normal' | 'small' }) {
  return (
    <span class={`avatar avatar-tone-${avatarTone(person.id)}${size === 'small' ? ' avatar-small' : ''}`} aria-hidden="true">
      {initialsOf(person.name)}
    </span>
  );
}

function PersonLink({ p }: { p: PersonRef }) {
  return (
    <a href={profileHref(p.id)} class="person-link">
      <bdi>{p.name}</bdi>
    </a>
  );
}

/** "Ana, Bo and Cy" as links. */
function PeopleLinks({ people }: { people: PersonRef[] }) {
  return (
    <>
      {people.map((p, i) => (
        <span key={p.id}>
          {i > 0 && (i === people.length - 1 ? ' and ' : ', ')}
          <PersonLink p={p} />
        </span>
      ))}
    </>
  );
}

/**
 * Focuses a kudos card once it is on screen (cards take programmatic focus, not Tab stops): where
 * a keyboard user carries on when the "Load more" button they pressed goes away.
 */
export function focusKudos(k: KudosView | undefined): void {
  if (!k) return;
  focusSoon(() => document.querySelector<HTMLElement>(`article[data-kudos-id="${CSS.escape(k.id)}"]`));
}

/**
 * One kudos. Every user-supplied string (names, message, comments) is a text child, so Preact
 * sets it as text: nothing here ever goes through innerHTML.
 */
interface CardProps {
  k: KudosView;
  fresh?: boolean;
  now?: number;
  onChange(k: KudosView): void;
  /** The signed-in person, and what to do once they deleted their own kudos; no "Delete" without both. */
  meId?: string;
  onDeleted?(k: KudosView): void;
}

/**
 * The feed holds up to 300 cards and a live event changes one of them: a card renders again only
 * when its own props changed. A changed kudos is always a new object (lib/kudos-list.ts never
 * mutates one), so comparing by identity is enough.
 */
export class KudosCard extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps): boolean {
    const p = this.props;
    return p.k !== next.k || p.fresh !== next.fresh || p.now !== next.now || p.onChange !== next.onChange || p.meId !== next.meId || p.onDeleted !== next.onDeleted;
  }

  override render() {
    return <KudosCardBody {...this.props} />;
  }
}

function KudosCardBody({ k, fresh, now, onChange, meId, onDeleted }: CardProps) {
  const [showComments, setShowComments] = useState(false);
  const titleId = `kudos-${k.id}-title`;
  const commentsId = `kudos-${k.id}-comments`;
  return (
    <article class={fresh ? 'card kudos-card arriving' : 'card kudos-card'} aria-labelledby={titleId} data-kudos-id={k.id} tabIndex={-1}>
      <header class="kudos-head">
        <Avatar person={k.giver} />
        <p id={titleId} class="kudos-title">
          <PersonLink p={k.giver} /> thanked <PeopleLinks people={k.recipients} />
        </p>
        <time class="time" dateTime={k.createdAt} title={formatDateTime(k.createdAt)}>
          {relativeTime(k.createdAt, now)}
        </time>
      </header>
      {k.visibility === 'private' && (
        <p class="private-badge">
          <IconLock /> Private: only the people involved and HR can see this
        </p>
      )}
      <ul class="chip-list" aria-label="Behaviours">
        {k.behaviours.map((b) => (
          <li class="chip" key={b.key}>
            <bdi>{b.name}</bdi>
          </li>
        ))}
      </ul>
      {/* dir="auto": a message takes the direction of its own first letters (Arabic, Hebrew: right to left). */}
      <p class="kudos-message" dir="auto">
        {k.message}
      </p>
      <footer class="kudos-foot">
        <Reactions k={k} onChange={onChange} />
        <div class="kudos-actions">
          {onDeleted && canDelete(k, meId, now ?? Date.now()) && <DeleteKudos k={k} onDeleted={onDeleted} />}
          <button type="button" class="button-quiet button-small" aria-expanded={showComments} aria-controls={commentsId} onClick={() => setShowComments(!showComments)}>
            <IconComment /> {k.commentCount === 1 ? '1 comment' : `${k.commentCount} comments`}
          </button>
        </div>
      </footer>
      <div id={commentsId} hidden={!showComments}>
        {showComments && <Comments kudosId={k.id} commentCount={k.commentCount} onPosted={() => onChange({ ...k, commentCount: k.commentCount + 1 })} />}
      </div>
    </article>
  );
}
