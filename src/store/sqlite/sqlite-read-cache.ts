import type { DbVersion, SqliteDb } from './sqlite-db.js';

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

/** Entries valid for one version of the database, as far as the reads that made them can tell. */
class Generation {
  readonly entries = new Map<string, unknown>();
  private stamp: DbVersion = { external: -1, epoch: -1, own: -1, kudosAdded: -1 };

  /**
   * Empties itself if the database changed in a way these reads could notice: any change, for
   * reads that see kudos; else a change to people, the catalog or settings, here or elsewhere.
   */
  sync(v: DbVersion, seesKudos: boolean): void {
    const s = this.stamp;
    const same = seesKudos
      ? v.external === s.external && v.own === s.own && v.kudosAdded === s.kudosAdded
      : v.epoch === s.epoch && v.own === s.own;
    if (same) return;
    this.entries.clear();
    this.stamp = v;
  }
}

/**
 * Results of hot reads (the signed-in user, the newest feed page, the catalog, the rules), kept
 * only while the database is provably unchanged for them, checked with one pragma per request
 * or live message (SqliteDb.version, freshness.ts). What reads kudos (the feed) is dropped at
 * any commit by another connection and any write here. What does not (people, catalog, rules)
 * is dropped only when those tables change, here or anywhere (the cache epoch), so posting
 * kudos, in this process or another, does not evict what every post looks up. A read never
 * misses a commit made before the request it serves arrived. Callers get shared objects and
 * must not modify them.
 */
export class ReadCache {
  private readonly withKudos = new Generation();
  private readonly withoutKudos = new Generation();

  constructor(private readonly d: SqliteDb) {}

  /**
   * `readsKudos`: false only for reads of users, behaviours and settings alone, the tables
   * whose changes move the cache epoch (true when unsure).
   */
  get<T>(key: string, load: () => T, readsKudos = true): T {
    // Inside a transaction a read may see writes that could still roll back.
    if (this.d.db.inTransaction) return load();
    const generation = readsKudos ? this.withKudos : this.withoutKudos;
    generation.sync(this.d.version(), readsKudos);
    const { entries } = generation;
    if (entries.has(key)) return entries.get(key) as T;
    const value = load();
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(key, FREEZE ? deepFreeze(value) : value);
    return value;
  }
}
