import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { audit } from './audit.js';
import { decodeCursor, encodeCursor, namePosition } from './cursor.js';
import { cursorTag } from './cursor-tag.js';
import { isoAt, type Deps } from './deps.js';
import { ForbiddenError, NotFoundError, RuleViolationError, UnauthorizedError } from './errors.js';
import { newId } from './ids.js';
import { closesLoop } from './reporting-lines.js';
import type { CreateUserInput, UpdateMeInput, UpdateUserInput } from './schemas/people.schema.js';
import type { Role, User, UserPatch } from './types.js';

export const isHrOrAdmin = (u: User): boolean => u.role === 'hr' || u.role === 'admin';

/** Roles an actor may hand out: hr manages ordinary staff, only admins create hr or admins. */
function mayAssignRole(actor: User, role: Role): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'hr' && (role === 'employee' || role === 'manager');
}

async function checkManager(deps: Pick<Deps, 'store'>, managerId: string | null | undefined, selfId?: string): Promise<void> {
  if (managerId === null || managerId === undefined) return;
  if (managerId === selfId) throw new RuleViolationError('invalid_manager', 'A person cannot be their own manager.', [{ path: 'managerId', message: 'self' }]);
  const m = await deps.store.getUser(managerId);
  if (!m || !m.active) {
    throw new RuleViolationError('invalid_manager', 'The manager must be an active user.', [{ path: 'managerId', message: 'no such active user' }]);
  }
  if (selfId && (await closesLoop(selfId, managerId, async (id) => (await deps.store.getUser(id))?.managerId))) {
    throw new RuleViolationError('invalid_manager', 'This manager reports to this person, directly or through others: reporting lines cannot loop.', [
      { path: 'managerId', message: 'would make a reporting loop' },
    ]);
  }
}

export async function createUser(deps: Deps, actor: User, input: CreateUserInput): Promise<User> {
  const role = input.role ?? 'employee';
  if (!mayAssignRole(actor, role)) throw new ForbiddenError(`Only an admin can create a user with role ${role}.`, 'role_change_forbidden');
  await checkManager(deps, input.managerId);
  const now = isoAt(deps.clock.now());
  const user = await deps.store.createUser({
    id: newId(),
    name: input.name,
    email: input.email,
    team: input.team,
    role,
    managerId: input.managerId ?? null,
    passwordHash: input.password ? await hashPassword(input.password) : null,
    createdAt: now,
  });
  await audit(deps, actor.id, 'user.created', { type: 'user', id: user.id }, { role, team: user.team });
  return user;
}

async function assertNotLastAdmin(deps: Deps, target: User, patch: UpdateUserInput): Promise<void> {
  const losesAdmin = target.role === 'admin' && ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
  if (!losesAdmin) return;
  const admins = await deps.store.countUsers({ role: 'admin', activeOnly: true });
  if (admins <= 1) throw new RuleViolationError('last_admin', 'Shine needs at least one active admin.');
}

export async function updateUser(deps: Deps, actor: User, id: string, input: UpdateUserInput): Promise<User> {
  const target = await deps.store.getUser(id);
  if (!target) throw new NotFoundError('user');
  if (input.role !== undefined && input.role !== target.role) {
    if (actor.role !== 'admin') throw new ForbiddenError('Only an admin can change roles.', 'role_change_forbidden');
    if (actor.id === target.id) throw new ForbiddenError('Nobody can change their own role.', 'role_change_forbidden');
  }
  // hr manages ordinary staff: another hr account (its password, email, activity) is an admin's.
  if ((target.role === 'admin' || target.role === 'hr') && actor.role !== 'admin' && actor.id !== target.id) {
    throw new ForbiddenError(`Only an admin can change an ${target.role === 'hr' ? 'hr' : 'admin'} account.`);
  }
  if (input.active === false && actor.id === target.id) throw new RuleViolationError('cannot_deactivate_self', 'You cannot deactivate yourself.');
  // One's own password needs the current one (PATCH /me): a borrowed hr or admin session must not
  // be able to take the account over for good, and the owner out of it.
  if (input.password !== undefined && actor.id === target.id) {
    throw new ForbiddenError('Change your own password with PATCH /me and your current password.', 'current_password_required');
  }
  await checkManager(deps, input.managerId, target.id);
  await assertNotLastAdmin(deps, target, input);
  const patch: UserPatch = { updatedAt: isoAt(deps.clock.now()) };
  if (input.name !== undefined) patch.name = input.name;
  if (input.email !== undefined) patch.email = input.email;
  if (input.team !== undefined) patch.team = input.team;
  if (input.managerId !== undefined) patch.managerId = input.managerId;
  const roleChanged = input.role !== undefined && input.role !== target.role;
  const deactivated = input.active === false && target.active;
  if (roleChanged) patch.role = input.role;
  if (input.active !== undefined) patch.active = input.active;
  if (input.password !== undefined) patch.passwordHash = await hashPassword(input.password);
  patch.bumpTokenVersion = roleChanged || deactivated || input.password !== undefined;
  const updated = await deps.store.updateUser(id, patch);
  if (!updated) throw new NotFoundError('user');
  if (roleChanged) await audit(deps, actor.id, 'user.role_changed', { type: 'user', id }, { from: target.role, to: updated.role });
  if (input.active !== undefined && input.active !== target.active) {
    await audit(deps, actor.id, input.active ? 'user.reactivated' : 'user.deactivated', { type: 'user', id });
  }
  if (input.password !== undefined) await audit(deps, actor.id, 'user.password_reset', { type: 'user', id });
  const other = Object.keys(input).filter((k) => !['role', 'active', 'password'].includes(k));
  if (other.length > 0) await audit(deps, actor.id, 'user.updated', { type: 'user', id }, { fields: other });
  if (patch.bumpTokenVersion) deps.live.disconnectUser(id);
  return updated;
}

/**
 * POST /auth/logout: ends every session of the account, on every device and process (its tokens
 * stop working and its live connections are cut). Tokens are signed, not stored, so one token
 * cannot be withdrawn alone without a lookup on every request; the token version ends them all.
 */
export async function signOut(deps: Deps, me: User): Promise<void> {
  const updated = await deps.store.updateUser(me.id, { updatedAt: isoAt(deps.clock.now()), bumpTokenVersion: true });
  if (!updated) throw new UnauthorizedError();
  deps.live.disconnectUser(me.id, 'signed_out');
}

/** PATCH /me: name, or password with the current one. Returns the updated user. */
export async function updateMe(deps: Deps, me: User, input: UpdateMeInput): Promise<User> {
  const patch: UserPatch = { updatedAt: isoAt(deps.clock.now()) };
  if (input.name !== undefined) patch.name = input.name;
  if (input.password !== undefined) {
    const ok = me.passwordHash !== null && (await verifyPassword(input.currentPassword ?? '', me.passwordHash));
    if (!ok) throw new RuleViolationError('wrong_password', 'The current password is not correct.', [{ path: 'currentPassword', message: 'incorrect' }]);
    patch.passwordHash = await hashPassword(input.password);
    patch.bumpTokenVersion = true;
  }
  const updated = await deps.store.updateUser(me.id, patch);
  if (!updated) throw new UnauthorizedError();
  if (input.password !== undefined) {
    await audit(deps, me.id, 'user.password_changed', { type: 'user', id: me.id });
    deps.live.disconnectUser(me.id);
  }
  return updated;
}

export async function listUsers(
  deps: Deps,
  viewer: User,
  q: { q?: string; team?: string; includeInactive?: boolean; limit: number; cursor?: string },
): Promise<{ items: User[]; nextCursor: string | null }> {
  const includeInactive = isHrOrAdmin(viewer) ? q.includeInactive : false;
  const tag = cursorTag('users', [q.q, q.team, includeInactive || null]);
  const page = await deps.store.listUsers(
    // Emails are not shown to everyone, so they are not searchable by everyone either.
    { q: q.q, qEmail: isHrOrAdmin(viewer), team: q.team, includeInactive },
    { limit: q.limit, after: decodeCursor(q.cursor, tag, namePosition) },
  );
  return { items: page.items, nextCursor: encodeCursor(page.next, tag) };
}

/** A user's directory entry; inactive people are visible to hr/admin only. */
export async function getVisibleUser(deps: Deps, viewer: User, id: string): Promise<User> {
  const u = await deps.store.getUser(id);
  if (!u || (!u.active && !isHrOrAdmin(viewer))) throw new NotFoundError('user');
  return u;
}
