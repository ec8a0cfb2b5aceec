import type { Display, KudosRecord, User, Viewer } from './types.js';

export const viewerOfUser = (u: User): Viewer => ({
  userId: u.id,
  privateAccess: u.role === 'hr' || u.role === 'admin' ? 'all' : 'own',
});

export const viewerOfDisplay = (_d: Display): Viewer => ({ userId: null, privateAccess: 'none' });

/** Private kudos are visible only to giver, recipients, hr and admin; removed ones to nobody. */
export function canSee(viewer: Viewer, k: KudosRecord): boolean {
  if (k.removedAt) return false;
  if (k.visibility === 'public' || viewer.privateAccess === 'all') return true;
  if (viewer.privateAccess === 'none' || viewer.userId === null) return false;
  return k.giver.id === viewer.userId || k.recipients.some((r) => r.id === viewer.userId);
}
