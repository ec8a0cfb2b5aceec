const KEY = 'shine.display.token';

/**
 * The display token: the `token` query parameter wins (a new address replaces an old one), and
 * is remembered so a reload without it still works. The address keeps its token, because kiosk
 * browsers often run without persistent storage and reload the address they were given.
 */
export function displayToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  try {
    if (fromUrl) {
      localStorage.setItem(KEY, fromUrl);
      return fromUrl;
    }
    return localStorage.getItem(KEY);
  } catch {
    return fromUrl;
  }
}

export function forgetDisplayToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to forget.
  }
}
