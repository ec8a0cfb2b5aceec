import { useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { KudosView } from '../lib/types.js';
import { IconSmilePlus } from './icons.js';

/** The fixed set the API always accepts, with names for screen readers. */
export const EMOJI: readonly (readonly [string, string])[] = [
  ['👏', 'applause'],
  ['🎉', 'celebrate'],
  ['❤️', 'heart'],
  ['🙌', 'raised hands'],
  ['🔥', 'fire'],
  ['⭐', 'star'],
  ['💯', 'hundred points'],
  ['😊', 'smile'],
  ['🚀', 'rocket'],
  ['👍', 'thumbs up'],
];
const nameOf = (e: string) => EMOJI.find(([x]) => x === e)?.[1] ?? 'reaction';

/** Reaction counts as toggle buttons, plus a small picker for adding a new one. */
export function Reactions({ k, onChange }: { k: KudosView; onChange(k: KudosView): void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);

  const set = async (emoji: string, on: boolean, pressed?: HTMLElement) => {
    setError(null);
    try {
      const path = `/kudos/${encodeURIComponent(k.id)}/reactions`;
      const next = on ? await api<KudosView>(path, { method: 'POST', body: { emoji } }) : await api<KudosView>(`${path}/${encodeURIComponent(emoji)}`, { method: 'DELETE' });
      onChange(next);
      // Taking back the last one of an emoji removes its button; keep the keyboard on "React".
      if (pressed) {
        requestAnimationFrame(() => {
          if (!pressed.isConnected && (document.activeElement === document.body || document.activeElement === null)) toggleRef.current?.focus();
        });
      }
    } catch (err) {
      setError(describeError(err));
    }
  };

  const entries = Object.entries(k.reactions).filter(([, n]) => n > 0);
  return (
    <div class="reactions">
      <ul class="reaction-list" aria-label="Reactions">
        {entries.map(([emoji, n]) => {
          const mine = k.myReactions.includes(emoji);
          return (
            <li key={emoji}>
              <button
                type="button"
                class={mine ? 'reaction mine' : 'reaction'}
                aria-pressed={mine}
                aria-label={`${nameOf(emoji)}: ${n}${mine ? ', including yours' : ''}`}
                onClick={(e) => set(emoji, !mine, e.currentTarget)}
              >
                <span aria-hidden="true">{emoji}</span> <span aria-hidden="true">{n}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <div
        class="reaction-add"
        onFocusOut={(e) => {
          // Close the picker once focus leaves it (Tab away, or a click elsewhere).
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
        }}
      >
        <button type="button" ref={toggleRef} class="button-quiet button-small" aria-expanded={open} onClick={() => setOpen(!open)}>
          <IconSmilePlus /> React
        </button>
        {open && (
          <div
            class="emoji-picker"
            role="group"
            aria-label="Pick a reaction"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setOpen(false);
                toggleRef.current?.focus();
              }
            }}
          >
            {EMOJI.map(([emoji, name]) => (
              <button
                type="button"
                key={emoji}
                class="emoji-option"
                aria-label={name}
                title={name}
                onClick={() => {
                  setOpen(false);
                  toggleRef.current?.focus();
                  void set(emoji, !k.myReactions.includes(emoji));
                }}
              >
                {emoji}
              </button>
            ))}
          </div>
        )}
      </div>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
