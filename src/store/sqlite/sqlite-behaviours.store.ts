import type { Behaviour, BehaviourPatch } from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';
import { NEXT_SEQ } from './sqlite-score-refs.js';

interface BehaviourRow {
  key: string;
  grp: string;
  name: string;
  description: string;
  weight: number;
  active: number;
}

const COLUMNS = 'key, grp, name, description, weight, active';

function toBehaviour(r: BehaviourRow): Behaviour {
  return { key: r.key, group: r.grp, name: r.name, description: r.description, weight: r.weight, active: r.active === 1 };
}

/** The behaviour catalog. Behaviours are retired (active=false), never deleted: kudos point at them. */
export class SqliteBehaviours {
  constructor(private readonly d: SqliteDb) {}

  /** In creation order, so the seeded catalog keeps its documented order. */
  listBehaviours(): Behaviour[] {
    return this.d.all<BehaviourRow>(`SELECT ${COLUMNS} FROM behaviours ORDER BY rowid`).map(toBehaviour);
  }

  getBehaviour(key: string): Behaviour | null {
    const r = this.d.get<BehaviourRow>(`SELECT ${COLUMNS} FROM behaviours WHERE key = ?`, key);
    return r ? toBehaviour(r) : null;
  }

  createBehaviour(b: Behaviour): Behaviour {
    this.d.run(
      `INSERT INTO behaviours (${COLUMNS}, seq) VALUES (?, ?, ?, ?, ?, ?, ${NEXT_SEQ('behaviours')})`,
      b.key, b.group, b.name, b.description, b.weight, b.active ? 1 : 0,
    );
    return { ...b };
  }

  updateBehaviour(key: string, patch: BehaviourPatch): Behaviour | null {
    const cols: [string, unknown][] = [];
    if (patch.group !== undefined) cols.push(['grp', patch.group]);
    if (patch.name !== undefined) cols.push(['name', patch.name]);
    if (patch.description !== undefined) cols.push(['description', patch.description]);
    if (patch.weight !== undefined) cols.push(['weight', patch.weight]);
    if (patch.active !== undefined) cols.push(['active', patch.active ? 1 : 0]);
    if (cols.length > 0) {
      const sets = cols.map(([c]) => `${c} = ?`).join(', ');
      this.d.run(`UPDATE behaviours SET ${sets} WHERE key = ?`, ...cols.map(([, v]) => v), key);
    }
    return this.getBehaviour(key);
  }
}
