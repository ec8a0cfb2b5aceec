import { DISPLAY_TOKEN_PREFIX, hashDisplayToken } from '../auth/tokens.js';
import { audit } from './audit.js';
import { isoAt, type Deps } from './deps.js';
import { NotFoundError } from './errors.js';
import { newId, randomSecret } from './ids.js';
import { nameKey } from './name-key.js';
import type { Display, DisplayPatch, User } from './types.js';

/**
 * The team as its people spell it. Kudos and live rooms match a team exactly, so a display made
 * for "support" when everyone is in "Support" would never show a kudos. Case and accents are
 * folded as the directory folds names; the spelling most active people share wins. A team no one
 * is in yet is kept as typed: people may be imported into it later.
 */
async function teamAsSpelled(deps: Deps, team: string): Promise<string> {
  const key = nameKey(team);
  const spellings = new Map<string, number>();
  for (const u of await deps.store.allUsers()) {
    if (u.team === team) return team;
    if (nameKey(u.team) === key) spellings.set(u.team, (spellings.get(u.team) ?? 0) + (u.active ? 1 : 0));
  }
  return [...spellings].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? team;
}

/**
 * Whether anyone active is in the team a display shows. A team renamed or emptied leaves its walls
 * showing old kudos for good (kudos keep the team they were given in), with nothing to tell the admin.
 */
export async function teamHasPeople(deps: Deps, team: string): Promise<boolean> {
  return (await deps.store.listUsers({ team }, { limit: 1 })).items.length > 0;
}

/** Creates a TV display credential. The token is returned once; only its hash is stored. */
export async function createDisplay(deps: Deps, actor: User, input: { name: string; team?: string | null }): Promise<{ display: Display; token: string }> {
  const token = DISPLAY_TOKEN_PREFIX + randomSecret(32);
  const display = await deps.store.createDisplay({
    id: newId(),
    name: input.name,
    team: input.team ? await teamAsSpelled(deps, input.team) : null,
    createdAt: isoAt(deps.clock.now()),
    createdBy: actor.id,
    tokenHash: hashDisplayToken(token),
  });
  await audit(deps, actor.id, 'display.created', { type: 'display', id: display.id }, { name: display.name, team: display.team });
  return { display, token };
}

/** Revokes and cuts the screen's live connection at once, on every process. */
export async function revokeDisplay(deps: Deps, actor: User, id: string): Promise<void> {
  const d = await deps.store.getDisplay(id);
  if (!d || d.revokedAt) throw new NotFoundError('display');
  // The store's conditional write decides: of two revokes racing past the read above, one wins.
  if (!(await deps.store.revokeDisplay(id, isoAt(deps.clock.now())))) throw new NotFoundError('display');
  deps.live.disconnectDisplay(id);
  await audit(deps, actor.id, 'display.revoked', { type: 'display', id }, { name: d.name });
}

/**
 * Renames a display or re-points it at another team (null: the whole company), keeping its token,
 * so nobody walks to the TV with a new one. The team is spelled as its people spell it, as on
 * creation. A wall connected now, on any process, is cut and reconnects by itself into its new
 * team's rooms; a rename alone leaves it on air (the wall does not show its name).
 */
export async function updateDisplay(deps: Deps, actor: User, id: string, input: DisplayPatch): Promise<Display> {
  const before = await deps.store.getDisplay(id);
  if (!before || before.revokedAt) throw new NotFoundError('display');
  const patch: DisplayPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.team !== undefined) patch.team = input.team ? await teamAsSpelled(deps, input.team) : null;
  // Conditional on not being revoked: a revoke that won the race leaves nothing to re-point.
  const after = await deps.store.updateDisplay(id, patch);
  if (!after) throw new NotFoundError('display');
  if (after.team !== before.team) deps.live.disconnectDisplay(id, 'changed');
  await audit(deps, actor.id, 'display.updated', { type: 'display', id }, {
    from: { name: before.name, team: before.team },
    to: { name: after.name, team: after.team },
  });
  return after;
}
