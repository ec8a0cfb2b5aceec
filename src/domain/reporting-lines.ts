/**
 * Reporting lines must not loop: a loop makes every person in it (indirectly) their own manager,
 * which no organisation chart has and which HR then cannot read. Access rules only look at direct
 * reports, so a loop leaks nothing; it is bad data, refused where managers are set.
 */

/** How managers are set: a person's manager, or null. May read the store. */
export type ManagerOf = (person: string) => string | null | undefined | Promise<string | null | undefined>;

/**
 * True when making `manager` the manager of `person` would close a loop: walking up from
 * `manager` reaches `person`. The walk stops at a person seen before, so a loop already in the
 * data (from before this check) cannot trap it.
 */
export async function closesLoop(person: string, manager: string, managerOf: ManagerOf): Promise<boolean> {
  const seen = new Set<string>();
  for (let at: string | null | undefined = manager; at; at = await managerOf(at)) {
    if (at === person) return true;
    if (seen.has(at)) return false;
    seen.add(at);
  }
  return false;
}
