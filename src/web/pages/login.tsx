import { render } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { SunMark } from '../components/shell.js';
import { api } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { loadSession, safeNext, saveSession } from '../lib/session.js';
import type { Me } from '../lib/types.js';
import { focusSoon } from '../lib/focus.js';

interface LoginAnswer {
  token: string;
  expiresAt: string | null;
  user: Me;
}

function LoginPage() {
  const next = safeNext(new URLSearchParams(location.search).get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api<LoginAnswer>('/auth/login', { method: 'POST', body: { email: email.trim(), password }, token: null, redirectOn401: false });
      saveSession(r.token, r.expiresAt, r.user);
      location.assign(next);
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
      // Move focus to the message so screen readers announce it and keyboards stay close.
      focusSoon(() => errorRef.current);
    }
  };

  return (
    <main id="main" class="login-page">
      <div class="login-card">
        <h1 class="login-title">
          <SunMark />
          <span>Shine</span>
        </h1>
        <p class="lede">Thank a colleague for great customer care, and see it light up the office.</p>
        {loadSession() && (
          <p class="notice">
            You are already signed in. <a href={next}>Continue to Shine</a>
          </p>
        )}
        <form onSubmit={submit} noValidate aria-describedby={error ? 'login-error' : undefined}>
          <div class="field">
            <label for="email">Work email</label>
            <input id="email" name="email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} aria-invalid={error ? true : undefined} />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={error ? true : undefined} />
          </div>
          {error && (
            <p id="login-error" class="error-text" role="alert" tabIndex={-1} ref={errorRef}>
              {error}
            </p>
          )}
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
          <button type="submit" class="button-primary button-wide" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p class="hint">Forgot your password? Ask HR or your Shine administrator to reset it.</p>
      </div>
    </main>
  );
}

render(<LoginPage />, document.getElementById('app') as HTMLElement);
