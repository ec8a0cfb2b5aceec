/**
 * kudos.score_refs: who and what a kudos names, as the small numbers users.seq and
 * behaviours.seq: "giver,recipient,…;behaviour,…" (recipients and behaviours in their stored
 * order). Period scoring reads a million of these at a time: numbers make the strings SQLite
 * builds far shorter than ids and keys, and turn interning ids into array indexing. Written
 * with the kudos (migration 3 filled existing rows); NULL when a number is missing, e.g. a row
 * written by an older build still running against the same file. Readers then use the id lists.
 */
import type { Database as Db, Statement } from 'better-sqlite3';

type Seq = number | null | undefined;

/** The score_refs value, or null when any reference has no number. */
export function scoreRefs(giver: Seq, recipients: readonly Seq[], behaviours: readonly Seq[]): string | null {
  const all = [giver, ...recipients, ...behaviours];
  if (!all.every((s): s is number => typeof s === 'number' && Number.isInteger(s) && s > 0)) return null;
  return `${[giver, ...recipients].join(',')};${behaviours.join(',')}`;
}

/** The next free seq of `table` (users or behaviours), for an INSERT in the same statement. */
export const NEXT_SEQ = (table: 'users' | 'behaviours') => `(SELECT COALESCE(MAX(seq), 0) + 1 FROM ${table})`;

/**
 * seq → id (or key) of one table, loaded on first use and again when asked for a number it does
 * not know: numbers are never reused, so what was loaded stays right, and rows added since show
 * up on the next load.
 */
export class SeqNames {
  private names: string[] = [];
  private readonly all: Statement;

  constructor(db: Db, table: 'users' | 'behaviours') {
    const column = table === 'users' ? 'id' : 'key';
    // One JSON value rather than a row each: half the time, and it comes first in every report.
    this.all = db.prepare(`SELECT json_group_array(json_array(seq, ${column})) FROM ${table} WHERE seq IS NOT NULL`).pluck();
  }

  /** One more than the largest seq known so far, for sizing arrays indexed by seq. */
  get size(): number {
    return this.names.length;
  }

  /** The name of `seq`; undefined when the table has no such number even after reloading. */
  name(seq: number): string | undefined {
    const known = this.names[seq];
    if (known !== undefined) return known;
    this.load();
    return this.names[seq];
  }

  private load(): void {
    const names: string[] = [];
    for (const [seq, name] of JSON.parse(this.all.get() as string) as [number, string][]) names[seq] = name;
    this.names = names;
  }
}
