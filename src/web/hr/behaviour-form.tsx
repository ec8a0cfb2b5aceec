import { useState } from 'preact/hooks';
import type { Behaviour } from '../lib/types.js';

export type BehaviourDraft = Omit<Behaviour, 'weight'> & { weight: string };

/** "Keep your word!" → "keep-your-word", the key format the API accepts. */
export function keyFrom(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** The fields of one behaviour; used both to add and to edit (the key is fixed once created). */
export function BehaviourForm({ initial, groups, isNew, errors, busy, onSubmit, onCancel }: {
  initial: BehaviourDraft;
  groups: string[];
  isNew: boolean;
  errors: Record<string, string>;
  busy: boolean;
  onSubmit(d: BehaviourDraft): void;
  onCancel?(): void;
}) {
  const [d, setD] = useState(initial);
  const [keyTouched, setKeyTouched] = useState(false);
  const p = isNew ? 'new-beh' : `edit-${initial.key}`;
  const set = (patch: Partial<BehaviourDraft>) => setD({ ...d, ...patch });
  const err = (field: string) =>
    errors[field] ? (
      <p id={`${p}-${field}-error`} class="error-text">
        {errors[field]}
      </p>
    ) : null;
  const inv = (field: string) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${p}-${field}-error` } : {});
  return (
    <form
      class="behaviour-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) onSubmit(d);
      }}
    >
      <div class="form-grid">
        <div class="field">
          <label for={`${p}-name`}>Name</label>
          <input id={`${p}-name`} value={d.name} {...inv('name')} onInput={(e) => set(isNew && !keyTouched ? { name: e.currentTarget.value, key: keyFrom(e.currentTarget.value) } : { name: e.currentTarget.value })} />
          {err('name')}
        </div>
        {isNew && (
          <div class="field">
            <label for={`${p}-key`}>Key (permanent)</label>
            <input
              id={`${p}-key`}
              value={d.key}
              {...inv('key')}
              onInput={(e) => {
                setKeyTouched(true);
                set({ key: e.currentTarget.value });
              }}
            />
            {err('key')}
          </div>
        )}
        <div class="field">
          <label for={`${p}-group`}>Group</label>
          <input id={`${p}-group`} list={`${p}-groups`} value={d.group} {...inv('group')} onInput={(e) => set({ group: e.currentTarget.value })} />
          <datalist id={`${p}-groups`}>
            {groups.map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
          {err('group')}
        </div>
        <div class="field">
          <label for={`${p}-weight`}>Scoring weight (0 to 5)</label>
          <input id={`${p}-weight`} type="number" step="0.1" min={0} max={5} value={d.weight} {...inv('weight')} onInput={(e) => set({ weight: e.currentTarget.value })} />
          {err('weight')}
        </div>
      </div>
      <div class="field">
        <label for={`${p}-desc`}>Description</label>
        <textarea id={`${p}-desc`} rows={2} value={d.description} {...inv('description')} onInput={(e) => set({ description: e.currentTarget.value })} />
        {err('description')}
      </div>
      <div class="field field-inline">
        <input id={`${p}-active`} type="checkbox" checked={d.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
        <label for={`${p}-active`}>Active (retired behaviours stay on old kudos but cannot be picked)</label>
      </div>
      <div class="form-actions">
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
        <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
          {isNew ? 'Add behaviour' : 'Save'}
        </button>
        {onCancel && (
          <button type="button" class="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
