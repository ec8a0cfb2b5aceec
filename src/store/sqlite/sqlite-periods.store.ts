import { PeriodOverlapError } from '../../domain/errors.js';
import type { Iso, NewPeriod, Period, PeriodSnapshot, PeriodStatus, ScoringRules, SnapshotLines } from '../../domain/types.js';
import { newId } from '../../domain/ids.js';
import { nextTurn } from '../../domain/next-turn.js';
import { CLOSE_SLICES, type CloseSlices } from '../close-slices.js';
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
  constructor(
    private readonly d: SqliteDb,
    /** How many people's lines a close stages per transaction; tests make it small. */
    private readonly slices: CloseSlices = CLOSE_SLICES,
  ) {}

  /**
   * Runs in the caller's write transaction (SqliteStore.write, BEGIN IMMEDIATE): the write lock
   * makes the overlap check and the insert one step for every process.
   */
  createPeriod(p: NewPeriod): Period {
    const [clash] = this.overlappingPeriods(p.startsAt, p.endsAt);
    if (clash) throw new PeriodOverlapError(clash);
    this.d.run(
      `INSERT INTO periods (${COLUMNS}) VALUES (?, ?, ?, ?, 'open', ?, NULL, NULL)`,
      p.id, p.name, p.startsAt, p.endsAt, p.createdAt,
    );
    return { ...p, status: 'open', closedAt: null, closedBy: null };
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

  /**
   * Closing stages each person's lines in many short transactions, a slice of people at a time
   * (each person serialised just before their insert, the event loop turning between slices),
   * every row tagged with a fresh close id; then one short transaction flips the period to closed if it is still open
   * and inserts the snapshot naming that close id. The flip is the commit point: readers follow
   * only the close id the snapshot names, so either the whole snapshot with every person's lines
   * is visible or the period is still open.
   *
   * - A close that loses the flip (the period was closed meanwhile, by this process or another),
   *   or fails before it, deletes its own staged rows, in slices (best effort: left behind they
   *   are never read).
   * - Staged rows of a close that died (a crash, a store closed mid-close) are swept once their
   *   period is closed, when the rows can no longer belong to a close still under way: by the
   *   close that wins, right after its flip, and at start-up (sweepStaleLines) for those a loser
   *   left after the winner's sweep.
   */
  async closePeriod(s: PeriodSnapshot, lines: readonly SnapshotLines[] = []): Promise<boolean> {
    const closeId = newId();
    let closed: boolean;
    try {
      for (let next = 0; next < lines.length; ) {
        next = await this.d.writeSoon(() => this.stage(s.periodId, closeId, lines, next));
        await nextTurn();
      }
      const data = JSON.stringify(s.data);
      closed = await this.d.writeSoon(() => {
        const changed = this.d.run(
          `UPDATE periods SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'`,
          s.closedAt, s.closedBy, s.periodId,
        );
        if (changed === 0) return false;
        // Nothing deletes rows of a period still open; checked all the same, as throwing rolls the flip back.
        const staged = this.d.get<{ n: number }>('SELECT COUNT(*) AS n FROM period_snapshot_lines WHERE close_id = ?', closeId)?.n;
        if (staged !== lines.length) throw new Error(`close ${closeId} of period ${s.periodId}: ${staged} of ${lines.length} people's lines staged`);
        this.d.run(
          `INSERT INTO period_snapshots (period_id, closed_at, closed_by, data, csv, sha256, close_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          s.periodId, s.closedAt, s.closedBy, data, s.csv, s.sha256, closeId,
        );
        return true;
      });
    } catch (err) {
      // A failed transaction rolled back: nothing names this close id, its rows can go.
      await this.deleteInSlices('close_id = ?', closeId).catch(() => undefined);
      throw err;
    }
    if (closed) await this.deleteInSlices('period_id = ? AND close_id <> ?', s.periodId, closeId).catch(() => undefined);
    else await this.deleteInSlices('close_id = ?', closeId).catch(() => undefined);
    return closed;
  }

  /**
   * Inserts one slice of people's lines from `from` on, each serialised just before its insert (a
   * slice's text is never all held at once), and returns where the next slice starts.
   */
  private stage(periodId: string, closeId: string, lines: readonly SnapshotLines[], from: number): number {
    let units = 0;
    let i = from;
    while (i < lines.length && i - from < this.slices.people && units < this.slices.units) {
      const { userId, lines: own } = lines[i++] as SnapshotLines;
      const json = JSON.stringify(own);
      units += json.length;
      this.d.run('INSERT INTO period_snapshot_lines (close_id, period_id, user_id, lines) VALUES (?, ?, ?, ?)', closeId, periodId, userId, json);
    }
    return i;
  }

  /**
   * Deletes the staged rows of closes that never became their period's snapshot, for every
   * closed period (an open period's rows may be a close under way in another process). Run at
   * start-up; usually there are none.
   */
  sweepStaleLines(): number {
    return this.d.write(() =>
      this.d.run(
        `DELETE FROM period_snapshot_lines WHERE rowid IN (
          SELECT l.rowid FROM period_snapshots s JOIN period_snapshot_lines l ON l.period_id = s.period_id AND l.close_id IS NOT s.close_id)`,
      ),
    );
  }

  /** Deletes the lines rows `where` matches, a slice at a time, letting the event loop turn between slices. */
  private async deleteInSlices(where: string, ...params: unknown[]): Promise<void> {
    const sql = `DELETE FROM period_snapshot_lines WHERE rowid IN (SELECT rowid FROM period_snapshot_lines WHERE ${where} LIMIT ${this.slices.people})`;
    while ((await this.d.writeSoon(() => this.d.run(sql, ...params))) > 0) await nextTurn();
  }

  /** The lines of the close the period's snapshot names: never those of a close that lost or died. */
  periodSnapshotLines(periodId: string, userIds?: readonly string[]): Map<string, unknown> {
    const from = 'FROM period_snapshots s JOIN period_snapshot_lines l ON l.close_id = s.close_id WHERE s.period_id = ?';
    const rows = userIds
      ? this.d.all<{ user_id: string; lines: string }>(
          `SELECT l.user_id, l.lines ${from} AND l.user_id IN (SELECT value FROM json_each(?))`,
          periodId, jsonList(userIds),
        )
      : this.d.all<{ user_id: string; lines: string }>(`SELECT l.user_id, l.lines ${from}`, periodId);
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
