import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, api, randomKey } from '../lib/api.js';
import { describeError, detailsFor } from '../lib/errors.js';
import { charCount } from '../lib/format.js';
import type { Behaviour, KudosView, Me, UserView } from '../lib/types.js';
import { BehaviourPicker } from './behaviour-picker.js';
import { PeopleSearch } from './people-search.js';
import { BidiList } from './bidi-list.js';
import { focusSoon } from '../lib/focus.js';

const MAX_MESSAGE = 1000;
const MAX_RECIPIENTS = 20;

interface FieldErrors {
  recipients?: string;
  behaviours?: string;
  message?: string;
  general?: string;
}

/** Client-side checks mirror the API's, so most mistakes are caught before a round trip. */
function validate(recipients: UserView[], behaviours: string[], message: string): FieldErrors {
  const e: FieldErrors = {};
  if (recipients.length === 0) e.recipients = 'Pick at least one colleague to thank.';
  if (behaviours.length === 0) e.behaviours = 'Pick at least one behaviour.';
  const n = charCount(message);
  if (n === 0) e.message = 'Write a few words about what they did.';
  else if (n > MAX_MESSAGE) e.message = `Keep it to ${MAX_MESSAGE} characters (${n - MAX_MESSAGE} too many).`;
  return e;
}

/** Maps an API error onto the fields its details point at. */
function fromApi(err: unknown): FieldErrors {
  const general = describeError(err);
  if (!(err instanceof ApiError)) return { general };
  const e: FieldErrors = {};
  const r = detailsFor(err, 'recipientIds');
  const b = detailsFor(err, 'behaviourKeys');
  const m = detailsFor(err, 'message');
  if (r.length || ['self_kudos', 'recipient_inactive'].includes(err.code)) e.recipients = r.length && err.code === 'invalid_request' ? r.join('; ') : general;
  if (b.length || err.code === 'behaviour_inactive') e.behaviours = b.length && err.code === 'invalid_request' ? b.join('; ') : general;
  if (m.length) e.message = m.join('; ');
  if (!e.recipients && !e.behaviours && !e.message) e.general = general;
  return e;
}

export function Composer({ me, catalog, onPosted }: { me: Me | null; catalog: readonly Behaviour[]; onPosted(k: KudosView): void }) {
  const [recipients, setRecipients] = useState<UserView[]>([]);
  const [behaviours, setBehaviours] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ComponentChildren>(null);
  /** A pick past MAX_RECIPIENTS is refused out loud, not dropped in silence. */
  const [full, setFull] = useState(false);
  // One key per kudos being written: a double click or a retry after a timeout posts it once. The
  // key goes with the body it was sent with: an edited form is another kudos (the server refuses a
  // key reused with another body, 422 idempotency_key_reused), so it gets a key of its own.
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const count = charCount(message);
  const remaining = MAX_MESSAGE - count;

  /** Takes the keyboard to the first field that needs fixing. */
  const focusFirstError = (e: FieldErrors) =>
    focusSoon(() => {
      const form = formRef.current;
      if (!form) return null;
      return e.recipients
        ? form.querySelector<HTMLElement>('#composer-people')
        : e.behaviours
          ? form.querySelector<HTMLElement>('.behaviour-picker summary')
          : e.message
            ? form.querySelector<HTMLElement>('#composer-message')
            : form.querySelector<HTMLElement>('.form-error');
    });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setDone(null);
    const local = validate(recipients, behaviours, message);
    setErrors(local);
    if (Object.keys(local).length > 0) return focusFirstError(local);
    setBusy(true);
    try {
      const body = { recipientIds: recipients.map((r) => r.id), behaviourKeys: behaviours, message: message.trim(), visibility: isPrivate ? 'private' : 'public' };
      const sent = JSON.stringify(body);
      if (attempt.current?.body !== sent) attempt.current = { key: randomKey(), body: sent };
      const k = await api<KudosView>('/kudos', { method: 'POST', body, idempotencyKey: attempt.current.key });
      attempt.current = null;
      setRecipients([]);
      setFull(false);
      setBehaviours([]);
      setMessage('');
      setPrivate(false);
      setErrors({});
      setDone(
        <>
          Kudos sent to <BidiList items={k.recipients.map((r) => r.name)} />.
        </>,
      );
      onPosted(k);
    } catch (err) {
      // A rule violation will not change on retry with the same key; a fresh key lets a fixed form post.
      if (err instanceof ApiError && err.status !== 0) attempt.current = null;
      const mapped = fromApi(err);
      setErrors(mapped);
      focusFirstError(mapped);
    } finally {
      setBusy(false);
    }
  };

  /** The chip and its button go away; the keyboard carries on in the people search beside them. */
  const removeRecipient = (id: string) => {
    setRecipients(recipients.filter((x) => x.id !== id));
    setFull(false);
    focusSoon(() => formRef.current?.querySelector<HTMLElement>('#composer-people'));
  };

  const pickRecipient = (u: UserView) => {
    if (recipients.length >= MAX_RECIPIENTS) return setFull(true);
    setRecipients([...recipients, u]);
  };

  const exclude = [...recipients.map((r) => r.id), ...(me ? [me.id] : [])];
  return (
    <section class="card composer" aria-labelledby="composer-title">
      <h2 id="composer-title">Thank a colleague</h2>
      <form ref={formRef} onSubmit={submit} noValidate>
        <div class="field">
          {recipients.length > 0 && (
            <ul class="chip-list" aria-label="Recipients">
              {recipients.map((r) => (
                <li class="chip chip-person" key={r.id}>
                  <span dir="auto">{r.name}</span>
                  <button type="button" class="chip-remove" aria-label={`Remove ${r.name}`} onClick={() => removeRecipient(r.id)}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <PeopleSearch
            id="composer-people"
            label="Who do you want to thank?"
            placeholder="Type part of a name"
            exclude={exclude}
            invalid={Boolean(errors.recipients)}
            describedBy={[errors.recipients && 'composer-people-error', full && 'composer-people-full'].filter(Boolean).join(' ') || undefined}
            onPick={pickRecipient}
          />
          {full && (
            <p id="composer-people-full" class="error-text" role="alert">
              You can thank at most {MAX_RECIPIENTS} people in one kudos. Remove someone to add another.
            </p>
          )}
          {errors.recipients && (
            <p id="composer-people-error" class="error-text">
              {errors.recipients}
            </p>
          )}
        </div>

        <BehaviourPicker catalog={catalog} selected={behaviours} onChange={setBehaviours} error={errors.behaviours} />

        <div class="field">
          <label for="composer-message">What did they do?</label>
          <textarea
            id="composer-message"
            rows={4}
            value={message}
            onInput={(e) => setMessage(e.currentTarget.value)}
            aria-invalid={errors.message ? true : undefined}
            aria-describedby={errors.message ? 'composer-counter composer-message-error' : 'composer-counter'}
            placeholder="Be specific: what happened, and why it mattered to the customer."
          />
          <p id="composer-counter" class={remaining < 0 ? 'counter over' : 'counter'} aria-live={remaining < 50 ? 'polite' : 'off'}>
            {remaining >= 0 ? `${count} / ${MAX_MESSAGE} characters` : `${-remaining} characters over the ${MAX_MESSAGE} limit`}
          </p>
          {errors.message && (
            <p id="composer-message-error" class="error-text">
              {errors.message}
            </p>
          )}
        </div>

        <div class="field field-inline">
          <input id="composer-private" type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.currentTarget.checked)} aria-describedby="composer-private-hint" />
          <label for="composer-private">Private</label>
          <span id="composer-private-hint" class="hint">
            Only the recipients, you and HR will see it, and it stays off the TV wall.
          </span>
        </div>

        {errors.general && (
          <p class="error-text form-error" role="alert" tabIndex={-1}>
            {errors.general}
          </p>
        )}
        <div class="form-actions">
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
          <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Sending…' : 'Send kudos'}
          </button>
          <p class="success-text" role="status">
            {done}
          </p>
        </div>
      </form>
    </section>
  );
}
