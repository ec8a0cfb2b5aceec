import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../lib/api.js';
import type { Page, UserView } from '../lib/types.js';

interface Props {
  id: string;
  label: string;
  /** People not to offer (already picked, or yourself). */
  exclude?: readonly string[];
  onPick(u: UserView): void;
  placeholder?: string;
  describedBy?: string;
  invalid?: boolean;
}

let instance = 0;

/**
 * A combobox that finds colleagues by any part of their name (ARIA 1.2 combobox pattern:
 * arrows move, Enter picks, Escape closes). Asks the directory as you type, debounced.
 */
export function PeopleSearch({ id, label, exclude = [], onPick, placeholder, describedBy, invalid }: Props) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<UserView[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState('');
  const listId = useRef(`people-list-${++instance}`).current;
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setResults([]);
      setOpen(false);
      setStatus('');
      return;
    }
    // Aborted once the text changes again (or the field goes): the newer search is the one that
    // counts, and the older one's answer, or the AbortError that ends it, is dropped.
    const asked = new AbortController();
    const timer = setTimeout(() => {
      api<Page<UserView>>(`/users${query({ q, limit: 10 })}`, { signal: asked.signal }).then(
        (page) => {
          if (asked.signal.aborted) return;
          const found = page.items.filter((u) => u.active && !exclude.includes(u.id)).slice(0, 8);
          setResults(found);
          setActive(0);
          // A late answer must not pop the list open over whatever the keyboard moved on to, nor
          // talk over it: "Use the arrow keys" means nothing in another field.
          const here = document.activeElement === inputRef.current;
          setOpen(here);
          if (!here) return setStatus('');
          setStatus(found.length === 0 ? `Nobody found for “${q}”.` : `${found.length} ${found.length === 1 ? 'person' : 'people'} found. Use the arrow keys to choose.`);
        },
        () => {
          if (!asked.signal.aborted) setStatus('Could not search the directory right now.');
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      asked.abort();
    };
  }, [text, exclude.join(',')]);

  const pick = (u: UserView) => {
    onPick(u);
    setText('');
    setResults([]);
    setOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && results.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % results.length);
    } else if (e.key === 'ArrowUp' && results.length) {
      e.preventDefault();
      setActive((a) => (a - 1 + results.length) % results.length);
    } else if (e.key === 'Enter' && open && results[active]) {
      e.preventDefault();
      pick(results[active]);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  const expanded = open && results.length > 0;
  return (
    <div class="combobox">
      <label for={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded ? optionId(active) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        placeholder={placeholder}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => results.length && setOpen(true)}
      />
      <ul id={listId} role="listbox" aria-label={label} class="combobox-list" hidden={!expanded}>
        {results.map((u, i) => (
          <li
            id={optionId(i)}
            key={u.id}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'option active' : 'option'}
            onMouseDown={(e) => {
              // Keep focus in the input; pick on press so blur does not close the list first.
              e.preventDefault();
              pick(u);
            }}
          >
            <span class="avatar avatar-small" aria-hidden="true">
              {u.initials}
            </span>
            <span class="option-name" dir="auto">
              {u.name}
            </span>
            <span class="option-team" dir="auto">
              {u.team}
            </span>
          </li>
        ))}
      </ul>
      <p class="visually-hidden" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
