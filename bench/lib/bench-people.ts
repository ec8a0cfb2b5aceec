import { DEFAULT_CATALOG } from '../../src/domain/catalog.js';
import { idGenerator } from '../../src/domain/ids.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';

export interface BenchPerson {
  id: string;
  team: string;
}

export interface BenchPeople {
  givers: BenchPerson[];
  recipients: BenchPerson[];
  behaviourKeys: string[];
}

/**
 * bench/http.ts's POST load, as rows: 50 givers and 10 recipients in 5 teams and the default
 * catalog, written through Shine's store into a new sqlite file (so the schema is Shine's).
 */
export async function seedBenchPeople(file: string): Promise<BenchPeople> {
  const store = new SqliteStore({ file, synchronous: 'NORMAL' });
  await store.init();
  for (const b of DEFAULT_CATALOG) await store.createBehaviour(b);
  const id = idGenerator();
  const person = async (name: string, i: number): Promise<BenchPerson> => {
    const u = await store.createUser({ id: id(), name, email: `${name.replace(' ', '.')}@bench.test`.toLowerCase(), team: `Team ${i % 5}`, role: 'employee', managerId: null, passwordHash: null, createdAt: new Date().toISOString() });
    return { id: u.id, team: u.team };
  };
  const givers: BenchPerson[] = [];
  for (let i = 0; i < 50; i++) givers.push(await person(`Giver ${i}`, i));
  const recipients: BenchPerson[] = [];
  for (let i = 0; i < 10; i++) recipients.push(await person(`Recipient ${i}`, i));
  await store.close();
  return { givers, recipients, behaviourKeys: DEFAULT_CATALOG.map((b) => b.key) };
}

/** Each bench person's team, by id ('' for an id it does not know). */
export function teamOf(people: BenchPeople): (userId: string) => string {
  const teams = new Map([...people.givers, ...people.recipients].map((p) => [p.id, p.team]));
  return (userId) => teams.get(userId) ?? '';
}
