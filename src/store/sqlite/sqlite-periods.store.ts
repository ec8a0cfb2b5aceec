import { PeriodOverlapError } from '../../domain/errors.js';
import type { Iso, NewPeriod, Period, PeriodSnapshot, PeriodStatus, ScoringRules, SnapshotLines } from '../../domain/types.js';
import { jsonList, type SqliteDb } from './sqlite-db.js';

interface PeriodRow {
  id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  status: PeriodStatus;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

interface SnapshotRow {
  period_id: string;
  closed_at: string;
  closed_by: string;
  data: string;
  csv: string;
  sha256: string;
}

const COLUMNS = 'id, name, starts_at, ends_at, status, created_at, closed_at, closed_by';
const RULES_KEY = 'scoring_rules';

function toPeriod(r: PeriodRow): Period {
  return {
    id: r.id,
    name: r.name,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    status: r.status,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
  };
}

/** Periods, their frozen snapshots, and the scoring rules kept in `settings`. */
export class SqlitePeriods {
  constructor(private readonly d: SqliteDb) {}

  /** The write lock (BEGIN IMMEDIATE) makes the overlap check and the insert one step for every process. */
  createPeriod(p: NewPeriod): Period {
    return this.d.write(() => {
      const [clash] = this.overlappingPeriods(p.startsAt, p.endsAt);
      if (clash) throw new PeriodOverlapError(clash);
      this.d.run(
        `INSERT INTO periods (${COLUMNS}) VALUES (?, ?, ?, ?, 'open', ?, NULL, NULL)`,
        p.id, p.name, p.startsAt, p.endsAt, p.createdAt,
      );
      return { ...p, status: 'open', closedAt: null, closedBy: null };
    });
  }

  getPeriod(id: string): Period | null {
    const r = this.d.get<PeriodRow>(`SELECT ${COLUMNS} FROM periods WHERE id = ?`, id);
    return r ? toPeriod(r) : null;
  }

  listPeriods(): Period[] {
    return this.d.all<PeriodRow>(`SELECT ${COLUMNS} FROM periods ORDER BY starts_at DESC, id DESC`).map(toPeriod);
  }

  overlappingPeriods(startsAt: Iso, endsAt: Iso): Period[] {
    return this.d
      .all<PeriodRow>(
        `SELECT ${COLUMNS} FROM periods WHERE starts_at < ? AND ends_at > ? ORDER BY starts_at DESC, id DESC`,
        endsAt, startsAt,
      )
      .map(toPeriod);
  }

  closePeriod(s: PeriodSnapshot, lines: readonly SnapshotLines[] = []): boolean {
    return this.d.write(() => {
      const changed = this.d.run(
        `UPDATE periods SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'`,
        s.closedAt, s.closedBy, s.periodId,
      );
      if (changed === 0) return false;
      this.d.run(
        `INSERT INTO period_snapshots (period_id, closed_at, closed_by, data, csv, sha256) VALUES (?, ?, ?, ?, ?, ?)`,
        s.periodId, s.closedAt, s.closedBy, JSON.stringify(s.data), s.csv, s.sha256,
      );
      for (const l of lines) {
        this.d.run('INSERT INTO period_snapshot_lines (period_id, user_id, lines) VALUES (?, ?, ?)', s.periodId, l.userId, JSON.stringify(l.lines));
      }
      return true;
    });
  }

  periodSnapshotLines(periodId: string, userIds?: readonly string[]): Map<string, unknown> {
    const rows = userIds
      ? this.d.all<{ user_id: string; lines: string }>(
          'SELECT user_id, lines FROM period_snapshot_lines WHERE period_id = ? AND user_id IN (SELECT value FROM json_each(?))',
          periodId, jsonList(userIds),
        )
      : this.d.all<{ user_id: string; lines: string }>('SELECT user_id, lines FROM period_snapshot_lines WHERE period_id = ?', periodId);
    return new Map(rows.map((r) => [r.user_id, JSON.parse(r.lines) as unknown]));
  }

  getPeriodSnapshot(periodId: string): PeriodSnapshot | null {
    const r = this.d.get<SnapshotRow>(
      'SELECT period_id, closed_at, closed_by, data, csv, sha256 FROM period_snapshots WHERE period_id = ?',
      periodId,
    );
    if (!r) return null;
    return {
      periodId: r.period_id,
      closedAt: r.closed_at,
      closedBy: r.closed_by,
      data: JSON.parse(r.data) as unknown,
      csv: r.csv,
      sha256: r.sha256,
    };
  }

  getRules(): Omit<ScoringRules, 'weights'> | null {
    const r = this.d.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', RULES_KEY);
    return r ? (JSON.parse(r.value) as Omit<ScoringRules, 'weights'>) : null;
  }

  saveRules(rules: Omit<ScoringRules, 'weights'>): void {
    // Rules arrive typed without weights, but a caller holding full ScoringRules may pass them;
    // weights belong to the catalog, so they are never persisted here.
    const { weights: _ignored, ...stored } = rules as ScoringRules;
    this.d.run(
      `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      RULES_KEY, JSON.stringify(stored),
    );
  }
}
