import { hashPassword } from './auth/passwords.js';
import { isoAt, type Deps } from './domain/deps.js';
import { ConflictError } from './domain/errors.js';
import { newId, randomSecret } from './domain/ids.js';

/**
 * First start: make sure an admin can sign in. With SHINE_ADMIN_EMAIL/PASSWORD that account is
 * created; otherwise admin@localhost with a random password that is printed once, to the
 * console only (never to the structured log).
 */
export async function ensureFirstAdmin(deps: Pick<Deps, 'store' | 'clock'>, email: string | null, password: string | null, print: (s: string) => void): Promise<void> {
  if ((await deps.store.countUsers({ role: 'admin', activeOnly: true })) > 0) return;
  const adminEmail = email ?? 'admin@localhost';
  const adminPassword = password ?? randomSecret(18);
  const existing = await deps.store.getUserByEmail(adminEmail);
  const now = isoAt(deps.clock.now());
  const passwordHash = await hashPassword(adminPassword);
  if (existing) {
    await deps.store.updateUser(existing.id, { role: 'admin', active: true, passwordHash, bumpTokenVersion: true, updatedAt: now });
  } else {
    try {
      await deps.store.createUser({ id: newId(), name: 'Shine Admin', email: adminEmail, team: 'Admin', role: 'admin', managerId: null, passwordHash, createdAt: now });
    } catch (err) {
      // Several processes started at once on an empty database: another one created the admin
      // between our count and our insert. Its account stands (and it prints the password).
      if (err instanceof ConflictError && (await deps.store.countUsers({ role: 'admin', activeOnly: true })) > 0) return;
      throw err;
    }
  }
  if (!password) {
    print(
      [
        '',
        '  ┌──────────────────────────────────────────────────────────────┐',
        '  │ Shine created the first admin account (shown only this once) │',
        '  └──────────────────────────────────────────────────────────────┘',
        `    email:    ${adminEmail}`,
        `    password: ${adminPassword}`,
        '    Sign in at /login and change the password under your profile.',
        '',
      ].join('\n'),
    );
  }
}
