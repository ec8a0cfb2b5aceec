import { PeriodOverlapError } from '../../domain/errors.js';
import type { Iso, NewPeriod, Period, PeriodSnapshot } from '../../domain/types.js';
import { guard } from './mongo-errors.js';
import { insertUnderGate } from './mongo-gate.js';
import type { PeriodDoc } from './mongo-documents.js';
import type { Models } from './mongo-models.js';

const CTX = { what: 'period' };
/** The gate id of period creation; giver ids are ULIDs, so it cannot be one of theirs. */
const PERIODS_GATE = 'periods';
/** Periods are read often and their snapshot (CSV + results) is large: leave it on the server. */
const withoutSnapshot = () => ({ snapshot: 0 as const });

function toPeriod(d: PeriodDoc): Period {
  return {
    id: d._id,
    name: d.name,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    status: d.status,
    createdAt: d.createdAt,
    closedAt: d.closedAt ?? null,
    closedBy: d.closedBy ?? null,
  };
}

/** Periods and their frozen snapshots. */
export class MongoPeriods {
  constructor(private readonly m: Models) {}

  /** One gate for all periods (mongo-gate.ts) makes the overlap check and the insert one step for every process. */
  createPeriod(p: NewPeriod): Promise<Period> {
    return guard(async () => {
      await insertUnderGate(this.m, PERIODS_GATE, {
        check: async () => {
          const [clash] = await this.overlappingPeriods(p.startsAt, p.endsAt);
          if (clash) throw new PeriodOverlapError(clash);
        },
        insert: async () => {
          await this.m.periods.create({
            _id: p.id, name: p.name, startsAt: p.startsAt, endsAt: p.endsAt, status: 'open', createdAt: p.createdAt,
            closedAt: null, closedBy: null, snapshot: null,
          });
        },
        undo: async () => {
          await this.m.periods.deleteOne({ _id: p.id });
        },
      });
      return { ...p, status: 'open', closedAt: null, closedBy: null };
    }, CTX);
  }

  getPeriod(id: string): Promise<Period | null> {
    return guard(async () => {
      const d = await this.m.periods.findById(id, withoutSnapshot()).lean<PeriodDoc>();
      return d ? toPeriod(d) : null;
    });
  }

  listPeriods(): Promise<Period[]> {
    return guard(async () =>
      (await this.m.periods.find({}, withoutSnapshot()).sort({ startsAt: -1, _id: -1 }).lean<PeriodDoc[]>()).map(
        toPeriod,
      ),
    );
  }

  /** Periods intersecting [startsAt, endsAt), newest first (as sqlite). */
  overlappingPeriods(startsAt: Iso, endsAt: Iso): Promise<Period[]> {
    return guard(async () =>
      (
        await this.m.periods
          .find({ startsAt: { $lt: endsAt }, endsAt: { $gt: startsAt } }, withoutSnapshot())
          .sort({ startsAt: -1, _id: -1 })
          .lean<PeriodDoc[]>()
      ).map(toPeriod),
    );
  }

  /**
   * The snapshot is stored inside the period document, so "mark closed and store the snapshot"
   * is one conditional single-document update: atomic without a transaction, and a second
   * close (from any process) finds no open period and changes nothing.
   */
  closePeriod(s: PeriodSnapshot): Promise<boolean> {
    return guard(async () => {
      const r = await this.m.periods.updateOne(
        { _id: s.periodId, status: 'open' },
        {
          $set: {
            status: 'closed',
            closedAt: s.closedAt,
            closedBy: s.closedBy,
            snapshot: {
              closedAt: s.closedAt, closedBy: s.closedBy, data: JSON.stringify(s.data), csv: s.csv, sha256: s.sha256,
            },
          },
        },
      );
      return r.modifiedCount === 1;
    });
  }

  getPeriodSnapshot(periodId: string): Promise<PeriodSnapshot | null> {
    return guard(async () => {
      const d = await this.m.periods.findById(periodId, { snapshot: 1 }).lean<Pick<PeriodDoc, '_id' | 'snapshot'>>();
      const snap = d?.snapshot;
      if (!snap) return null;
      return {
        periodId,
        closedAt: snap.closedAt,
        closedBy: snap.closedBy,
        data: JSON.parse(snap.data) as unknown,
        csv: snap.csv,
        sha256: snap.sha256,
      };
    });
  }
}
