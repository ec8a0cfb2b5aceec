import { buildUser, type Api } from './api.js';

type Person = Awaited<ReturnType<typeof buildUser>>;

export interface ManagerTeam {
  /** Hana Resources, hr, in People. */
  hr: Person;
  /** Mia Manager, a manager, in Support. */
  manager: Person;
  /** Rae Report, in Support, reports to Mia. */
  rae: Person;
  /** Sam Staff, in Support, reports to Mia. */
  sam: Person;
  /** Nia Outside, in Sales, reports to no one: outside Mia's team. */
  nia: Person;
}

/**
 * The people the /scores browser tests (team scores, period insights) share, made through the API
 * as `admin`: hr, a manager with two reports in her own team, and someone outside that team, whom
 * the manager's pages must never show.
 */
export async function buildManagerTeam(admin: Api): Promise<ManagerTeam> {
  const hr = await buildUser(admin, { name: 'Hana Resources', team: 'People', role: 'hr' });
  const manager = await buildUser(admin, { name: 'Mia Manager', team: 'Support', role: 'manager' });
  const rae = await buildUser(admin, { name: 'Rae Report', team: 'Support', managerId: manager.user.id });
  const sam = await buildUser(admin, { name: 'Sam Staff', team: 'Support', managerId: manager.user.id });
  const nia = await buildUser(admin, { name: 'Nia Outside', team: 'Sales' });
  return { hr, manager, rae, sam, nia };
}
