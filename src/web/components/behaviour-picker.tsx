import { groupBehaviours } from '../lib/catalog.js';
import type { Behaviour } from '../lib/types.js';

export const MAX_BEHAVIOURS = 5;

interface Props {
  catalog: readonly Behaviour[];
  selected: readonly string[];
  onChange(keys: string[]): void;
  /** Shown under the hint, inside the group it is about. */
  error?: string;
}

/**
 * The catalog as the five groups of DOMAIN.md, each a disclosure holding its checkboxes, so
 * the whole choice fits on a phone yet nothing is hidden behind a search.
 */
export function BehaviourPicker({ catalog, selected, onChange, error }: Props) {
  const groups = groupBehaviours(catalog);
  const full = selected.length >= MAX_BEHAVIOURS;
  const toggle = (key: string, on: boolean) => onChange(on ? [...selected, key] : selected.filter((k) => k !== key));
  return (
    <fieldset class={error ? 'behaviour-picker invalid' : 'behaviour-picker'} aria-describedby={error ? 'behaviour-hint behaviour-error' : 'behaviour-hint'}>
      <legend>Which behaviours did they show?</legend>
      <p id="behaviour-hint" class="hint">
        Pick 1 to {MAX_BEHAVIOURS}. {selected.length > 0 ? `${selected.length} picked.` : ''}
        {full ? ' That is the most one kudos can carry.' : ''}
      </p>
      {error && (
        <p id="behaviour-error" class="error-text">
          {error}
        </p>
      )}
      {groups.map((g, gi) => {
        const count = g.behaviours.filter((b) => selected.includes(b.key)).length;
        return (
          <details class="behaviour-group" key={g.name} open={count > 0 || undefined}>
            <summary>
              <bdi>{g.name}</bdi>
              {count > 0 && <span class="badge">{count} picked</span>}
            </summary>
            <ul class="behaviour-options">
              {g.behaviours.map((b) => {
                const id = `beh-${gi}-${b.key}`;
                const checked = selected.includes(b.key);
                return (
                  <li key={b.key}>
                    <input id={id} type="checkbox" value={b.key} checked={checked} disabled={!checked && full} onChange={(e) => toggle(b.key, e.currentTarget.checked)} />
                    <label for={id}>
                      <span class="behaviour-name" dir="auto">
                        {b.name}
                      </span>
                      <span class="behaviour-desc" dir="auto">
                        {b.description}
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
          </details>
        );
      })}
    </fieldset>
  );
}
