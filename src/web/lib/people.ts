/** Initials for an avatar, like the API's: first letter of the first and last word. */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  const first = parts[0] ? ([...parts[0]][0] ?? '') : '';
  const last = parts.length > 1 ? ([...(parts[parts.length - 1] ?? '')][0] ?? '') : '';
  return `${first}${last}`.toUpperCase();
}

/** A stable hue per person so avatars are told apart; only the background varies, text stays dark. */
export function avatarTone(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 6;
}

export const profileHref = (id: string): string => `/people/${encodeURIComponent(id)}`;
