import { DISPLAY_TOKEN_PREFIX } from '../../auth/display-token-prefix.js';

const KEY = 'shine.display.token';

/**
 * The display token: the `token` query parameter wins (a new address replaces an old one), and
 * is remembered so a reload without it still works. The address keeps its token, because kiosk
 * browsers often run without persistent storage and reload the address they were given.
 */
export function displayToken(): string | null {
  const given = new URLSearchParams(location.search).get('token');
  // Only a display token: a person's sign-in token (a JWT) also reads the feed, with the private
  // kudos that person may see (every one, for hr and admin), and this page shows it to the room.
  const fromUrl = given !== null && isDisplayToken(given) ? given : null;
  try {
    if (given !== null && !fromUrl) {
      localStorage.removeItem(KEY);
      return null;
    }
    if (fromUrl) {
      localStorage.setItem(KEY, fromUrl);
      return fromUrl;
    }
    const stored = localStorage.getItem(KEY);
    return stored !== null && isDisplayToken(stored) ? stored : null;
  } catch {
    return fromUrl;
  }
}

const isDisplayToken = (token: string) => token.startsWith(DISPLAY_TOKEN_PREFIX);

export function forgetDisplayToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
