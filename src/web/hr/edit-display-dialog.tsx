import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { DisplayView } from '../lib/types.js';
import { fieldErrors } from './field-errors.js';

interface Props {
  display: DisplayView;
  /** Team spellings to suggest, as the people's records spell them. */
  teams: string[];
  onSaved(updated: DisplayView): void;
  onCancel(): void;
}

/**
 * Renames a display or points it at another team (PATCH /displays/:id). Its address keeps working,
 * so nobody has to walk to the TV with a new one; a wall on air follows the new team by itself.
 * A native modal <dialog>: focus stays inside, Escape cancels, and the name field has the focus.
 */
export function EditDisplayDialog({ display, teams, onSaved, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(display.name);
  const [team, setTeam] = useState(display.team ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setErrors({ name: 'Give the display a name, such as “Lobby TV”.' });
      return setError(null);
    }
    // Only what changed: re-sending the same team would re-spell it and cut a wall for nothing.
    const body: { name?: string; team?: string | null } = {};
    if (name.trim() !== display.name) body.name = name.trim();
    if ((team.trim() || null) !== display.team) body.team = team.trim() || null;
    if (Object.keys(body).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      onSaved(await api<DisplayView>(`/displays/${encodeURIComponent(display.id)}`, { method: 'PATCH', body }));
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(describeError(err));
      setBusy(false);
    }
  };

  const fieldError = (field: 'name' | 'team') =>
    errors[field] ? (
      <p id={`edit-display-${field}-error`} class="error-text">
        {errors[field]}
      </p>
    ) : null;
  const described = (field: 'name' | 'team', hint?: string) => {
    const ids = [hint, errors[field] ? `edit-display-${field}-error` : undefined].filter(Boolean).join(' ');
    return { ...(errors[field] ? { 'aria-invalid': true } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
  };

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="edit-display-title"
      data-testid="edit-display-dialog"
      onCancel={(e) => {
        // Escape: let the parent unmount us instead of leaving a closed dialog in the DOM.
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="edit-display-title">Edit “{display.name}”</h2>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for="edit-display-name">Display name</label>
          <input id="edit-display-name" value={name} maxLength={120} autofocus onInput={(e) => setName(e.currentTarget.value)} {...described('name')} />
          {fieldError('name')}
        </div>
        <div class="field">
          <label for="edit-display-team">Only this team (optional)</label>
          <input
            id="edit-display-team"
            list="edit-display-team-options"
            value={team}
            maxLength={80}
            placeholder="Whole company"
            onInput={(e) => setTeam(e.currentTarget.value)}
            {...described('team', 'edit-display-team-hint')}
          />
          <p id="edit-display-team-hint" class="hint">
            The screen keeps its address. If it is on air, it switches to the new team within seconds.
          </p>
          {fieldError('team')}
          <datalist id="edit-display-team-options">
            {teams.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <div class="form-actions">
          <button type="button" class="button-secondary" onClick={onCancel}>
            Cancel
          </button>
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
          <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
