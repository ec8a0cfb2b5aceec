import type { Me } from './types.js';

/**
 * The signed-in session lives in localStorage so that every tab shares it; the JWT is what the
 * API checks, the cached user only saves a round trip when drawing the header.
 */
const TOKEN_KEY = 'shine.token';
const EXPIRES_KEY = 'shine.expiresAt';
const USER_KEY = 'shine.user';

export interface Session {
  token: string;
  expiresAt: string | null;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be disabled by policy; the page then works until it is reloaded.
    return null;
  }
}

export function saveSession(token: string, expiresAt: string | null, user: Me | null): void {
  const s = storage();
  if (!s) return;
  s.setItem(TOKEN_KEY, token);
  if (expiresAt) s.setItem(EXPIRES_KEY, expiresAt);
  else s.removeItem(EXPIRES_KEY);
  if (user) s.setItem(USER_KEY, JSON.stringify(user));
}

export function saveUser(user: Me): void {
  storage()?.setItem(USER_KEY, JSON.stringify(user));
}

/** The stored session, or null when there is none or it has expired. */
export function loadSession(): Session | null {
  const s = storage();
  const token = s?.getItem(TOKEN_KEY) ?? null;
  if (!token) return null;
  const expiresAt = s?.getItem(EXPIRES_KEY) ?? null;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    clearSession();
    return null;
  }
  return { token, expiresAt };
}

export function cachedUser(): Me | null {
  const raw = storage()?.getItem(USER_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Me;
  } catch {
    return null;
  }
}

export function clearSession(): void {
  const s = storage();
  s?.removeItem(TOKEN_KEY);
  s?.removeItem(EXPIRES_KEY);
  s?.removeItem(USER_KEY);
}

/**
 * The token that has replaced `old` in storage, or null. A password changed in another tab ends
 * this tab's live connection (its token was the old one) a moment before that tab stores the new
 * token, so a refusal waits up to `graceMs` for one; a sign-out (storage emptied) answers at once.
 */
export function replacedToken(old: string, graceMs = 5000): Promise<string | null> {
  return new Promise((resolve) => {
    const started = Date.now();
    const check = () => {
      const now = storage()?.getItem(TOKEN_KEY) ?? null;
      if (now && now !== old) return resolve(now);
      if (!now || Date.now() - started >= graceMs) return resolve(null);
      setTimeout(check, 200);
    };
    check();
  });
}

/**
 * Only same-origin paths are accepted as a post-login destination (no open redirect). Decided on
 * the URL as the browser will parse it: it drops tabs and newlines, so "/\t/evil.example" is
 * "//evil.example", another host.
 */
export function safeNext(raw: string | null, origin: string = location.origin): string {
  if (!raw || !raw.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || url.pathname.startsWith('/login')) return '/';
  return url.pathname + url.search + url.hash;
}

/**
 * Set once this page has set off for /login. A second navigation there would abort the first, and
 * two can race: signing out revokes the token, which also cuts the live connection and fails any
 * request in flight with 401, each of which sends the page to /login too. A page brought back
 * from the back-forward cache is still here, so it starts afresh.
 */
let leavingForLogin = false;
if (typeof window !== 'undefined') {
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) leavingForLogin = false;
  });
}

function goToLogin(url: string): void {
  if (leavingForLogin) return;
  leavingForLogin = true;
  location.assign(url);
}

/** Sends the browser to the login page, remembering where it was. */
export function redirectToLogin(): void {
  const here = location.pathname + location.search + location.hash;
  goToLogin(`/login?next=${encodeURIComponent(here)}`);
}

/** After signing out: to the login page, with nowhere to come back to. */
export function leaveAfterSignOut(): void {
  goToLogin('/login');
}
