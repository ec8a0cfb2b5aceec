/** Initials for an avatar, the API's own rule (kudos views carry names, not initials). */
export { initials as initialsOf } from '../../domain/initials.js';

/** A stable hue per person so avatars are told apart; only the background varies, text stays dark. */
export function avatarTone(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 6;
}

export const profileHref = (id: string): string => `/people/${encodeURIComponent(id)}`;
