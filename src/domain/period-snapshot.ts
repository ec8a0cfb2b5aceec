/**
 * What a period's close freezes: the rules, the people and the results as they were, plus the
 * exact CSV. Reads of a closed period come from here and are never recomputed, so neither later
 * data edits nor later changes to the scoring code can move a closed period's numbers.
 */
import type { PayrollPerson } from './payroll-csv.js';
import type { ScoreResult } from './scoring.js';
import type { Period, PeriodSnapshot, ScoringRules } from './types.js';

export interface SnapshotData {
  version: 1;
  period: Pick<Period, 'id' | 'name' | 'startsAt' | 'endsAt'>;
  rules: ScoringRules;
  /** Every user at close time, active or not, so breakdown giver ids can still be named. */
  people: PayrollPerson[];
  /** One result per active person, zero results included, with breakdown. */
  results: ScoreResult[];
}

/**
 * Reads a stored snapshot's data. We wrote it ourselves, so this checks the envelope (version
 * and the three lists) rather than re-validating a possibly very large payload field by field.
 */
export function readSnapshotData(snapshot: PeriodSnapshot): SnapshotData {
  const d = snapshot.data;
  if (!isSnapshotData(d)) throw new Error(`snapshot of period ${snapshot.periodId} has an unknown format`);
  return d;
}

function isSnapshotData(d: unknown): d is SnapshotData {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return (
    o.version === 1 &&
    typeof o.period === 'object' &&
    typeof o.rules === 'object' &&
    Array.isArray(o.people) &&
    Array.isArray(o.results)
  );
}
