import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { PanelMessages } from '../components/panel-messages.js';
import { api } from '../lib/api.js';
import { groupBehaviours } from '../lib/catalog.js';
import { describeError } from '../lib/errors.js';
import type { Behaviour } from '../lib/types.js';
import { BehaviourForm, type BehaviourDraft } from './behaviour-form.js';
import { fieldErrors } from './field-errors.js';
import { focusSoon } from '../lib/focus.js';
import { ENTER_A_NUMBER, parseNumberInput } from './number-input.js';

const EMPTY: BehaviourDraft = { key: '', group: '', name: '', description: '', weight: '1', active: true };
const toDraft = (b: Behaviour): BehaviourDraft => ({ ...b, weight: String(b.weight) });
const editButtonId = (key: string) => `behaviour-edit-${key}`;

/** The behaviour catalog editor: edit, retire (never delete) and add behaviours. */
export function CatalogPanel({ catalog, onChange }: { catalog: Behaviour[]; onChange(next: Behaviour[]): void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<ComponentChildren>(null);
  const [busy, setBusy] = useState(false);
  const groups = [...new Set(catalog.map((b) => b.group))];

  const run = async (d: BehaviourDraft, work: (weight: number) => Promise<Behaviour>, done: (b: Behaviour) => ComponentChildren) => {
    // An emptied weight field must not be saved as Number('') = 0: the behaviour would silently stop scoring.
    const weight = parseNumberInput(d.weight);
    if (weight === null) {
      setErrors({ weight: ENTER_A_NUMBER });
      setError('Give the behaviour a weight from 0 to 5.');
      return;
    }
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      setNotice(done(await work(weight)));
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  // A form that goes away with the keyboard in it (its Add, Save or Cancel button) hands focus back
  // to the button that opened it, instead of dropping it to the page body.
  const returnFocus = (formField: string, buttonId: string) => {
    if (!document.getElementById(formField)?.closest('form')?.contains(document.activeElement)) return;
    focusSoon(buttonId);
  };
  // The button pressed to open a form goes away with the form in its place: start in its first field.
  const openAdd = () => {
    setAdding(true);
    focusSoon('new-beh-name');
  };
  const openEdit = (key: string) => {
    setEditing(key);
    focusSoon(`edit-${key}-name`);
  };
  const cancelAdd = () => {
    returnFocus('new-beh-name', 'add-behaviour');
    setAdding(false);
  };
  const cancelEdit = (key: string) => {
    returnFocus(`edit-${key}-name`, editButtonId(key));
    setEditing(null);
  };

  const save = (d: BehaviourDraft) =>
    run(
      d,
      (weight) => api<Behaviour>(`/behaviours/${encodeURIComponent(d.key)}`, { method: 'PATCH', body: { name: d.name.trim(), group: d.group.trim(), description: d.description.trim(), weight, active: d.active } }),
      (b) => {
        returnFocus(`edit-${b.key}-name`, editButtonId(b.key));
        onChange(catalog.map((x) => (x.key === b.key ? b : x)));
        setEditing(null);
        return (
          <>
            Saved “<bdi>{b.name}</bdi>”.
          </>
        );
      },
    );

  const add = (d: BehaviourDraft) =>
    run(
      d,
      (weight) => api<Behaviour>('/behaviours', { method: 'POST', body: { key: d.key.trim(), name: d.name.trim(), group: d.group.trim(), description: d.description.trim(), weight, active: d.active } }),
      (b) => {
        returnFocus('new-beh-name', 'add-behaviour');
        onChange([...catalog, b]);
        setAdding(false);
        return (
          <>
            Added “<bdi>{b.name}</bdi>”.
          </>
        );
      },
    );

  return (
    <section aria-labelledby="catalog-title">
      <h2 id="catalog-title">Behaviours</h2>
      <p class="hint">The catalog people pick from when they give kudos. Retire a behaviour instead of deleting it: old kudos keep their meaning.</p>
      <PanelMessages notice={notice} error={error} />
      {adding ? (
        <div class="card">
          <h3>New behaviour</h3>
          <BehaviourForm initial={EMPTY} groups={groups} isNew errors={errors} busy={busy} onSubmit={add} onCancel={cancelAdd} />
        </div>
      ) : (
        <button type="button" id="add-behaviour" class="button-secondary" onClick={openAdd}>
          Add a behaviour
        </button>
      )}
      {groupBehaviours(catalog, false).map((g) => (
        <section class="catalog-group" key={g.name} aria-label={g.name}>
          <h3>
            <bdi>{g.name}</bdi>
          </h3>
          <ul class="catalog-list">
            {g.behaviours.map((b) => (
              <li key={b.key} class={b.active ? 'catalog-item' : 'catalog-item retired'}>
                {editing === b.key ? (
                  <BehaviourForm initial={toDraft(b)} groups={groups} isNew={false} errors={errors} busy={busy} onSubmit={save} onCancel={() => cancelEdit(b.key)} />
                ) : (
                  <div class="catalog-row">
                    <div>
                      <p class="catalog-name">
                        <bdi>{b.name}</bdi> {!b.active && <span class="status-pill closed">Retired</span>}
                      </p>
                      <p class="hint" dir="auto">
                        {b.description}
                      </p>
                    </div>
                    <p class="catalog-weight">
                      Weight <strong>{b.weight}</strong>
                    </p>
                    <button type="button" id={editButtonId(b.key)} class="button-quiet button-small" onClick={() => openEdit(b.key)}>
                      Edit<span class="visually-hidden"> {b.name}</span>
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
