import { useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { saveSession } from '../lib/session.js';
import type { Me } from '../lib/types.js';
import { focusSoon } from '../lib/focus.js';

/** The server's rule (`passwordSchema`); checked here first so a short one is refused at once. */
export const MIN_PASSWORD_LENGTH = 12;

type Field = 'current' | 'password' | 'confirm';
type Errors = Partial<Record<Field | 'form', string>>;

/** PATCH /me answers the updated user and, after a password change, a fresh token. */
type MeUpdate = Me & { token?: string; expiresAt?: string };

const FIELD_IDS: Record<Field, string> = { current: 'password-current', password: 'password-new', confirm: 'password-confirm' };

function validate(current: string, password: string, confirm: string): Errors {
  const e: Errors = {};
  if (!current) e.current = 'Enter your current password.';
  if (password.length < MIN_PASSWORD_LENGTH) e.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (password.length > 256) e.password = 'Use at most 256 characters.';
  if (!e.password && confirm !== password) e.confirm = 'The two new passwords do not match.';
  return e;
}

/** Server refusals placed next to the field they are about; anything else goes under the form. */
function fromApi(err: unknown): Errors {
  if (err instanceof ApiError) {
    if (err.code === 'wrong_password') return { current: 'Your current password is not correct.' };
    const byPath: Errors = {};
    for (const d of err.details) {
      if (d.path === 'currentPassword') byPath.current ??= `Current password: ${d.message}.`;
      if (d.path === 'password') byPath.password ??= `New password ${d.message}.`;
    }
    if (byPath.current || byPath.password) return byPath;
  }
  return { form: describeError(err) };
}

/**
 * Changes the signed-in person's password. The server ends every session of the account, this
 * one included, and answers with a new token: it is stored as signing in stores it, so this tab
 * (and the other tabs of this browser, which share the storage) stay signed in while other devices
 * are signed out.
 */
export function PasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  /** Takes the keyboard to the first field that needs fixing (or the form's message). */
  const focusFirstError = (e: Errors) => {
    const field = (['current', 'password', 'confirm'] as const).find((f) => e[f]);
    focusSoon(field ? FIELD_IDS[field] : () => formRef.current?.querySelector<HTMLElement>('#password-form-error'));
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    if (busy) return;
    setDone(null);
    const local = validate(current, password, confirm);
    setErrors(local);
    if (Object.keys(local).length > 0) return focusFirstError(local);
    setBusy(true);
    try {
      const r = await api<MeUpdate>('/me', { method: 'PATCH', body: { currentPassword: current, password } });
      const { token, expiresAt, ...me } = r;
      if (token) saveSession(token, expiresAt ?? null, me);
      setCurrent('');
      setPassword('');
      setConfirm('');
      setErrors({});
      setDone('Your password has been changed. Other devices and browsers have been signed out.');
    } catch (err) {
      const mapped = fromApi(err);
      setErrors(mapped);
      focusFirstError(mapped);
    } finally {
      setBusy(false);
    }
  };

  /** aria-describedby for a field: its hint, then its error. */
  const described = (field: Field, hint?: string) => [hint, errors[field] && `${FIELD_IDS[field]}-error`].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    errors[field] && (
      <p id={`${FIELD_IDS[field]}-error`} class="error-text">
        {errors[field]}
      </p>
    );

  return (
    <section class="card password-card" aria-labelledby="password-title">
      <h2 id="password-title">Change password</h2>
      <p class="hint">Changing it signs you out on every other device and browser.</p>
      <form ref={formRef} onSubmit={submit} noValidate class="field-narrow">
        {/* A hidden username lets password managers file the new password under the right account. */}
        <input type="email" name="username" autocomplete="username" value={email} hidden readOnly />
        <div class="field">
          <label for={FIELD_IDS.current}>Current password</label>
          <input id={FIELD_IDS.current} type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} aria-invalid={errors.current ? true : undefined} aria-describedby={described('current')} />
          {fieldError('current')}
        </div>
        <div class="field">
          <label for={FIELD_IDS.password}>New password</label>
          <input id={FIELD_IDS.password} type="password" autocomplete="new-password" required minLength={MIN_PASSWORD_LENGTH} maxLength={256} value={password} onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={errors.password ? true : undefined} aria-describedby={described('password', 'password-new-hint')} />
          <p id="password-new-hint" class="hint">
            At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a long one easy to remember.
          </p>
          {fieldError('password')}
        </div>
        <div class="field">
          <label for={FIELD_IDS.confirm}>Confirm new password</label>
          <input id={FIELD_IDS.confirm} type="password" autocomplete="new-password" required value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} aria-invalid={errors.confirm ? true : undefined} aria-describedby={described('confirm')} />
          {fieldError('confirm')}
        </div>
        {errors.form && (
          <p id="password-form-error" class="error-text form-error" role="alert" tabIndex={-1}>
            {errors.form}
          </p>
        )}
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
        <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Changing password…' : 'Change password'}
        </button>
        {/* Always in the page, so the polite announcement is not lost when the message appears. */}
        <div role="status">{done && <p class="success-text">{done}</p>}</div>
      </form>
    </section>
  );
}
