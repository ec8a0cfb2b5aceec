import type { SqliteDb } from './sqlite-db.js';

/** Enough for every signed-in user's newest feed page; a few tens of MB at worst. */
const MAX_ENTRIES = 2000;
/** Tests freeze what is cached, so code that would modify a shared cached object fails loudly. */
const FREEZE = process.env.NODE_ENV === 'test';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Results of hot reads (the signed-in user, the newest feed page, the catalog, the rules), kept
 * only while the database is provably unchanged: any commit by another connection or process
 * and any write on this connection empties the cache, checked with one cheap pragma per read.
 * Reads never see anything stale, and a read-mostly feed skips most of its queries. Callers get
 * shared objects and must not modify them.
 */
export class ReadCache {
  private readonly entries = new Map<string, unknown>();
  private external = -1;
  private own = -1;

  constructor(private readonly d: SqliteDb) {}

  get<T>(key: string, load: () => T): T {
    // Inside a transaction a read may see writes that could still roll back.
    if (this.d.db.inTransaction) return load();
    const v = this.d.version();
    if (v.external !== this.external || v.own !== this.own) {
      this.entries.clear();
      this.external = v.external;
      this.own = v.own;
    }
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, FREEZE ? deepFreeze(value) : value);
    return value;
  }
}
