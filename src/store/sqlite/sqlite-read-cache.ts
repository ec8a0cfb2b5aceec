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
  private stamp: DbVersion = { external: -1, own: -1, kudosAdded: -1 };

  /** Empties itself if the database changed in a way `seesNewKudos` reads could notice. */
  sync(v: DbVersion, seesNewKudos: boolean): void {
    const s = this.stamp;
    if (v.external === s.external && v.own === s.own && (!seesNewKudos || v.kudosAdded === s.kudosAdded)) return;
    this.entries.clear();
    this.stamp = v;
  }
}

/**
 * Results of hot reads (the signed-in user, the newest feed page, the catalog, the rules), kept
 * only while the database is provably unchanged for them: any commit by another connection or
 * process and any write on this connection empties the cache, checked with one pragma per
 * synchronous run of reads (SqliteDb.version). Adding kudos on this connection only empties what reads kudos (the feed), so posting
 * does not evict the people, catalog and rules every post looks up. Reads never see anything
 * stale. Callers get shared objects and must not modify them.
 */
export class ReadCache {
  private readonly withKudos = new Generation();
  private readonly withoutKudos = new Generation();

  constructor(private readonly d: SqliteDb) {}

  /** `readsKudos`: whether the result could change when a kudos is added (true when unsure). */
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
