/**
 * What a period's close freezes: the rules, the people and the results as they were, plus the
 * exact CSV. Reads of a closed period come from here and are never recomputed, so neither later
 * data edits nor later changes to the scoring code can move a closed period's numbers.
 */
import type { PayrollPerson } from './payroll-csv.js';
import type { ScoreResult } from './scoring.js';
import type { Period, PeriodSnapshot, ScoringRules } from './types.js';

export interface SnapshotData {
  /**
   * 1: each result carries its breakdown lines. 2 (since 2026-12-07): every result's breakdown is
   * empty here and its lines are stored apart, per person (Store.periodSnapshotLines), so that the
   * figures, the CSV or one person's lines are read without everyone's.
   */
  version: 1 | 2;
  period: Pick<Period, 'id' | 'name' | 'startsAt' | 'endsAt'>;
  rules: ScoringRules;
  /** Every user at close time, active or not, so breakdown giver ids can still be named. */
  people: PayrollPerson[];
  /**
   * One result per active person, zero results included, with breakdown (version 1). Each line carries its
   * giver's name as it was at close; lines of snapshots written before lines carried names are
   * named from `people` when read (readSnapshotData).
   */
  results: ScoreResult[];
}

/**
 * Reads a stored snapshot's data. We wrote it ourselves, so this checks the envelope (version
 * and the three lists) rather than re-validating a possibly very large payload field by field.
 */
export function readSnapshotData(snapshot: PeriodSnapshot): SnapshotData {
  const d = snapshot.data;
  if (!isSnapshotData(d)) throw new Error(`snapshot of period ${snapshot.periodId} has an unknown format`);
  nameOlderLines(d);
  return d;
}

/**
 * Snapshots written before breakdown lines carried `giverName` (same version: the field is
 * additive, so a rolled-back server still reads newer snapshots) have no name on their lines, but
 * they did freeze every user, active or not, in `people`: the names the payroll CSV was built
 * from. Their lines are named from that list, so an older closed period still shows the names it
 * had at close; a giver missing from it gets null and the page falls back to the directory.
 * Lines are filled in place: `data` is parsed afresh on every read, nobody else holds it.
 */
function nameOlderLines(d: SnapshotData): void {
  let names: Map<string, string> | null = null;
  for (const r of d.results) {
    for (const line of r.breakdown) {
      // Older lines lack the key altogether; a current line has a string or null.
      if (line.giverName !== undefined) continue;
      names ??= new Map(d.people.map((p) => [p.id, p.name]));
      line.giverName = names.get(line.giverId) ?? null;
    }
  }
}

function isSnapshotData(d: unknown): d is SnapshotData {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return (
    (o.version === 1 || o.version === 2) &&
    typeof o.period === 'object' &&
    typeof o.rules === 'object' &&
    Array.isArray(o.people) &&
    Array.isArray(o.results)
  );
}
