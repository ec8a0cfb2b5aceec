import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { cachedUser, loadSession, redirectToLogin, saveUser } from './session.js';
import type { Me } from './types.js';

/**
 * The signed-in user for pages that need one: drawn at once from the cache, then refreshed from
 * GET /me (a role change or deactivation shows on the next page load). No session → /login.
 */
export function useMe(): Me | null {
  const [me, setMe] = useState<Me | null>(() => (loadSession() ? cachedUser() : null));
  useEffect(() => {
    if (!loadSession()) {
      redirectToLogin();
      return;
    }
    api<Me>('/me').then(
      (fresh) => {
        saveUser(fresh);
        setMe(fresh);
      },
      () => {
        // A 401 already redirected; other failures keep the cached user on screen.
      },
    );
  }, []);
  return me;
}

export const isHr = (me: Me | null): boolean => me?.role === 'hr' || me?.role === 'admin';
