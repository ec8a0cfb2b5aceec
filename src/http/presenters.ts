import { initials } from '../domain/initials.js';
import type { AuditEntry, Behaviour, Comment, Display, KudosRecord, User } from '../domain/types.js';

/** Presenters are whitelists: only the fields named here ever leave the server. */


/** Directory entry; emails and admin fields only for the person themself and hr/admin. */
export function presentUser(u: User, viewer: User | null) {
  const full = viewer !== null && (viewer.id === u.id || viewer.role === 'hr' || viewer.role === 'admin');
  const base = { id: u.id, name: u.name, team: u.team, initials: initials(u.name), active: u.active };
  if (!full) return base;
  return { ...base, email: u.email, role: u.role, managerId: u.managerId, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function presentBehaviour(b: Behaviour) {
  return { key: b.key, group: b.group, name: b.name, description: b.description, weight: b.weight, active: b.active };
}

/** The one kudos view, used by REST and socket.io alike. */
export function presentKudos(k: KudosRecord) {
  return {
    id: k.id,
    giver: { id: k.giver.id, name: k.giver.name, team: k.giver.team },
    recipients: k.recipients.map((r) => ({ id: r.id, name: r.name, team: r.team })),
    behaviours: k.behaviours.map((b) => ({ key: b.key, name: b.name })),
    message: k.message,
    visibility: k.visibility,
    createdAt: k.createdAt,
    reactions: { ...k.reactions },
    myReactions: [...k.myReactions],
    commentCount: k.commentCount,
  };
}
export type KudosView = ReturnType<typeof presentKudos>;

export function presentComment(c: Comment) {
  return { id: c.id, kudosId: c.kudosId, author: { id: c.author.id, name: c.author.name, team: c.author.team }, message: c.message, createdAt: c.createdAt };
}

/** `teamHasPeople`: whether anyone active is in its team (null: a whole-company or revoked display). */
export function presentDisplay(d: Display, connected: boolean, teamHasPeople: boolean | null = null) {
  return { id: d.id, name: d.name, team: d.team, createdAt: d.createdAt, lastSeenAt: d.lastSeenAt, revokedAt: d.revokedAt, connected, teamHasPeople };
}

export function presentAudit(e: AuditEntry) {
  return { id: e.id, at: e.at, actorId: e.actorId, action: e.action, targetType: e.targetType, targetId: e.targetId, details: e.details };
}
