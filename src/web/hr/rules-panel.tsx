import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { ScoringRules } from '../lib/types.js';
import { fieldErrors } from './field-errors.js';
import { focusSoon } from '../lib/focus.js';
import { ENTER_A_NUMBER, parseNumberInput } from './number-input.js';

/**
 * Number fields are kept as typed: turning each keystroke into a number made an emptied field 0
 * at once (typing "0.25" after clearing it gave 250), and saved a cleared field as 0.
 */
type Draft = {
  allowance: string;
  repeatPairDamping: string;
  groupSplit: ScoringRules['groupSplit'];
  minDistinctGivers: string;
  reciprocalThreshold: string;
  reciprocalPenalty: string;
  tiers: { name: string; threshold: string }[];
};
type NumberRule = 'repeatPairDamping' | 'minDistinctGivers' | 'reciprocalThreshold' | 'reciprocalPenalty';
const NUMBER_RULES: readonly NumberRule[] = ['repeatPairDamping', 'minDistinctGivers', 'reciprocalThreshold', 'reciprocalPenalty'];

const toDraft = (r: ScoringRules): Draft => ({
  allowance: r.allowancePerPeriod === null ? '' : String(r.allowancePerPeriod),
  repeatPairDamping: String(r.repeatPairDamping),
  groupSplit: r.groupSplit,
  minDistinctGivers: String(r.minDistinctGivers),
  reciprocalThreshold: String(r.reciprocalThreshold),
  reciprocalPenalty: String(r.reciprocalPenalty),
  tiers: r.tiers.map((t) => ({ name: t.name, threshold: String(t.threshold) })),
});

/** The request body, or the fields (by API path) that hold no number; only the allowance may be empty. */
function toBody(draft: Draft): { body: Omit<ScoringRules, 'weights'> } | { missing: Record<string, string> } {
  const missing: Record<string, string> = {};
  const read = (path: string, text: string): number => {
    const n = parseNumberInput(text);
    if (n === null) missing[path] = ENTER_A_NUMBER;
    return n ?? 0;
  };
  const allowance = draft.allowance.trim() === '' ? null : read('allowancePerPeriod', draft.allowance);
  const rules = Object.fromEntries(NUMBER_RULES.map((k) => [k, read(k, draft[k])])) as Record<NumberRule, number>;
  const tiers = draft.tiers.map((t, i) => ({ name: t.name.trim(), threshold: read(`tiers.${i}.threshold`, t.threshold) }));
  if (Object.keys(missing).length > 0) return { missing };
  return { body: { allowancePerPeriod: allowance, ...rules, groupSplit: draft.groupSplit, tiers } };
}

function NumberField({ id, label, hint, value, step, min, max, error, onInput }: { id: string; label: string; hint: string; value: number | string; step: string; min?: number; max?: number; error?: string; onInput(v: string): void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="number" inputMode="decimal" step={step} min={min} max={max} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`} aria-invalid={error ? true : undefined} />
      <p id={`${id}-hint`} class="hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} class="error-text">
          {error}
        </p>
      )}
    </div>
  );
}

/** The scoring rules editor (PUT replaces them all; behaviour weights live in the catalog). */
export function RulesPanel() {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<ScoringRules>('/scoring-rules').then((r) => setDraft(toDraft(r)), (err: unknown) => setError(describeError(err)));
  }, []);

  if (!draft) return error ? <p class="error-text" role="alert">{error}</p> : <p class="hint">Loading rules…</p>;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setTier = (i: number, patch: Partial<{ name: string; threshold: string }>) => set({ tiers: draft.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) });
  // The row and its Remove button go (or, down to one tier, Remove turns disabled): the keyboard
  // carries on in the name of the tier now in its place, or of the new last tier.
  const removeTier = (i: number) => {
    set({ tiers: draft.tiers.filter((_, j) => j !== i) });
    const at = Math.min(i, draft.tiers.length - 2);
    focusSoon(`tier-name-${at}`);
  };
  // The new tier's name is what comes next; and the tenth tier turns "Add a tier" disabled, which
  // would drop keyboard focus to the page body.
  const addTier = () => {
    set({ tiers: [...draft.tiers, { name: '', threshold: '' }] });
    const at = draft.tiers.length;
    focusSoon(`tier-name-${at}`);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setNotice(null);
    const parsed = toBody(draft);
    if ('missing' in parsed) {
      setErrors(parsed.missing);
      setError('Some rules have no number. Fill them in, then save.');
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      setDraft(toDraft(await api<ScoringRules>('/scoring-rules', { method: 'PUT', body: parsed.body })));
      setNotice('Rules saved. Open periods are scored with them from now on; closed periods keep theirs.');
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rules-title">
      <h2 id="rules-title">Scoring rules</h2>
      <p class="hint">Behaviour weights are set in the Behaviours section. Every change is recorded in the audit log.</p>
      <form class="card rules-form" onSubmit={save} noValidate>
        <div class="form-grid">
          <NumberField id="rule-allowance" label="Kudos each person may give per period" hint="Leave empty for no limit." value={draft.allowance} step="1" min={1} error={errors.allowancePerPeriod} onInput={(v) => set({ allowance: v })} />
          <NumberField id="rule-damping" label="Repeat thanks factor" hint="Each further kudos from the same giver to the same person is multiplied by this (0 to 1)." value={draft.repeatPairDamping} step="0.05" min={0} max={1} error={errors.repeatPairDamping} onInput={(v) => set({ repeatPairDamping: v })} />
          <div class="field">
            <label for="rule-split">Kudos to several people</label>
            <select id="rule-split" value={draft.groupSplit} onChange={(e) => set({ groupSplit: e.currentTarget.value as Draft['groupSplit'] })} aria-describedby="rule-split-hint">
              <option value="full">Full points each</option>
              <option value="sqrt">Points ÷ √(recipients)</option>
              <option value="equal">Points ÷ recipients</option>
            </select>
            <p id="rule-split-hint" class="hint">
              How a kudos to a group counts for each person in it: in full, divided by the square root of the number of recipients (three share 1.73 times the points of one), or divided equally.
            </p>
          </div>
          <NumberField id="rule-min-givers" label="Minimum distinct givers to be eligible" hint="Guards against one friend carrying someone’s bonus." value={draft.minDistinctGivers} step="1" min={0} error={errors.minDistinctGivers} onInput={(v) => set({ minDistinctGivers: v })} />
          <NumberField id="rule-recip-threshold" label="Reciprocal exchange threshold" hint="Two people thanking each other at least this often each way count as a reciprocal pair." value={draft.reciprocalThreshold} step="1" min={1} error={errors.reciprocalThreshold} onInput={(v) => set({ reciprocalThreshold: v })} />
          <NumberField id="rule-recip-penalty" label="Reciprocal factor" hint="Points between a reciprocal pair are multiplied by this (1 = no penalty)." value={draft.reciprocalPenalty} step="0.05" min={0} max={1} error={errors.reciprocalPenalty} onInput={(v) => set({ reciprocalPenalty: v })} />
        </div>
        <fieldset class="tiers">
          <legend>Eligibility tiers (score needed, ascending)</legend>
          {draft.tiers.map((t, i) => (
            <div class="tier-row" key={i}>
              <div class="field">
                <label for={`tier-name-${i}`}>Tier {i + 1} name</label>
                <input id={`tier-name-${i}`} value={t.name} onInput={(e) => setTier(i, { name: e.currentTarget.value })} aria-invalid={errors[`tiers.${i}.name`] ? true : undefined} aria-describedby={errors[`tiers.${i}.name`] ? `tier-name-${i}-error` : undefined} />
                {errors[`tiers.${i}.name`] && (
                  <p id={`tier-name-${i}-error`} class="error-text">
                    {errors[`tiers.${i}.name`]}
                  </p>
                )}
              </div>
              <div class="field">
                <label for={`tier-threshold-${i}`}>Score needed</label>
                <input id={`tier-threshold-${i}`} type="number" step="0.5" min={0} value={t.threshold} onInput={(e) => setTier(i, { threshold: e.currentTarget.value })} aria-invalid={errors[`tiers.${i}.threshold`] ? true : undefined} aria-describedby={errors[`tiers.${i}.threshold`] ? `tier-threshold-${i}-error` : undefined} />
                {errors[`tiers.${i}.threshold`] && (
                  <p id={`tier-threshold-${i}-error`} class="error-text">
                    {errors[`tiers.${i}.threshold`]}
                  </p>
                )}
              </div>
              <button type="button" class="button-quiet button-small" disabled={draft.tiers.length <= 1} onClick={() => removeTier(i)}>
                Remove<span class="visually-hidden"> tier {i + 1}</span>
              </button>
            </div>
          ))}
          <button type="button" class="button-secondary button-small" disabled={draft.tiers.length >= 10} onClick={addTier}>
            Add a tier
          </button>
        </fieldset>
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
        <div class="form-actions">
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
          <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
            Save rules
          </button>
          <p class="success-text" role="status">
            {notice}
          </p>
        </div>
      </form>
    </section>
  );
}
