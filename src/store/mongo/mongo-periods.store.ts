import type { QueryFilter } from 'mongoose';
import { PeriodOverlapError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Iso, NewPeriod, Period, PeriodSnapshot, SnapshotLines } from '../../domain/types.js';
import { CLOSE_SLICES, serialisedSlices, type CloseSlices } from '../close-slices.js';
import { guard } from './mongo-errors.js';
import { insertUnderGate } from './mongo-gate.js';
import type { PeriodDoc, SnapshotChunkDoc, SnapshotPart, SnapshotSub } from './mongo-documents.js';
import type { Models } from './mongo-models.js';
import { CHUNK_UNITS, joinChunks, shapeOf, splitText } from './text-chunks.js';

const CTX = { what: 'period' };
/** The gate id of period creation; giver ids are ULIDs, so it cannot be one of theirs. */
const PERIODS_GATE = 'periods';
/** The parts stored once per close, with counts and lengths recorded in the period; `lines` are per person. */
type WholePart = Exclude<SnapshotPart, 'lines'>;
const SNAPSHOT_PARTS: readonly WholePart[] = ['data', 'csv'];
/** Periods are read often, and an old-format snapshot (CSV + results inline) is large: leave it on the server. */
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
  constructor(
    private readonly m: Models,
    /** Code units per snapshot chunk; unit tests make it small to get many chunks from little text. */
    private readonly chunkUnits: number = CHUNK_UNITS,
    /** How many people's lines one insertMany carries; unit tests make it small. */
    private readonly slices: CloseSlices = CLOSE_SLICES,
  ) {}

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
   * Closing writes the snapshot's large parts (data JSON, CSV) as chunk documents tagged with a
   * fresh close id, then makes one conditional single-document update that flips the period to
   * closed and stores the small metadata naming that close id. The flip is the commit point: it
   * is atomic without a transaction, a second close (from any process) finds no open period and
   * changes nothing, and readers only ever follow the close id the flip stored.
   *
   * - A closer that loses the race deletes its own chunks (best effort: left behind they are
   *   never read, so a failed delete still answers "not closed by us").
   * - A crash, or a failed chunk insert, between the two steps leaves chunks no period names:
   *   orphans, never read. They are swept once their period is closed, when they can no longer
   *   belong to a close under way: by the close that wins, right after its flip (every chunk of
   *   the period under another close id; best effort, a failed sweep still answers "closed"), and
   *   at start-up (sweepOrphanChunks) for those left after that (a close that died after the
   *   winner's sweep, a loser whose own delete failed).
   * - If the flip itself fails, its outcome is unknown (the server may have applied it before
   *   the connection dropped), so the chunks stay: deleting them could hollow out a close that won.
   *   If it was not applied, the next winning close of the period sweeps them.
   */
  closePeriod(s: PeriodSnapshot, lines: readonly SnapshotLines[] = []): Promise<boolean> {
    return guard(async () => {
      const closeId = newId();
      const data = splitText(JSON.stringify(s.data), this.chunkUnits);
      const csv = splitText(s.csv, this.chunkUnits);
      await this.writeChunks(s.periodId, closeId, { data, csv }, lines);
      const dataShape = shapeOf(data);
      const csvShape = shapeOf(csv);
      const r = await this.m.periods.updateOne(
        { _id: s.periodId, status: 'open' },
        {
          $set: {
            status: 'closed',
            closedAt: s.closedAt,
            closedBy: s.closedBy,
            snapshot: {
              closedAt: s.closedAt, closedBy: s.closedBy, sha256: s.sha256, closeId,
              dataChunks: dataShape.count, dataLength: dataShape.length,
              csvChunks: csvShape.count, csvLength: csvShape.length,
            },
          },
        },
      );
      if (r.modifiedCount === 1) {
        // No other close of this period can flip now: chunks under any other close id are dead.
        await this.m.periodSnapshotChunks.deleteMany(otherCloses(s.periodId, closeId)).catch(() => undefined);
        return true;
      }
      await this.m.periodSnapshotChunks.deleteMany({ closeId }).catch(() => undefined);
      return false;
    });
  }

  /**
   * Deletes, for every closed period whose snapshot names a close id, the chunks of the period
   * under any other close id (closes that died, or losers that left theirs); returns how many.
   * Run at start-up; usually there are none. Reads only closed periods' `_id` and close id, and
   * each delete is served by the `{ periodId, closeId }` index. Left alone: an open period's
   * chunks (a close may be under way in another process), and those of a period closed before
   * snapshots were chunked (its snapshot names no close id; a close of this version that died on
   * it left orphans there, harmless, but "delete every chunk of the period" is not a rule to run
   * on a field that could be missing for any other reason).
   */
  sweepOrphanChunks(): Promise<number> {
    return guard(async () => {
      const closed = await this.m.periods
        .find({ status: 'closed', 'snapshot.closeId': { $type: 'string' } }, { 'snapshot.closeId': 1 })
        .lean<Pick<PeriodDoc, '_id' | 'snapshot'>[]>();
      let swept = 0;
      for (const p of closed) {
        const closeId = p.snapshot?.closeId;
        if (typeof closeId !== 'string') continue;
        swept += (await this.m.periodSnapshotChunks.deleteMany(otherCloses(p._id, closeId))).deletedCount;
      }
      return swept;
    });
  }

  /**
   * Inserts the data and CSV pieces, then each person's lines a slice of people at a time
   * (close-slices.ts): only one slice is ever held serialised, never all 285 MB of a 10,000-person close.
   */
  private async writeChunks(periodId: string, closeId: string, parts: Record<WholePart, string[]>, lines: readonly SnapshotLines[]): Promise<void> {
    try {
      const whole: SnapshotChunkDoc[] = [];
      for (const part of SNAPSHOT_PARTS) {
        parts[part].forEach((text, index) => whole.push({ _id: `${closeId}:${part}:${index}`, closeId, periodId, part, index, text }));
      }
      if (whole.length > 0) await this.m.periodSnapshotChunks.insertMany(whole, { ordered: true });
      let index = 0;
      for (const slice of serialisedSlices(lines, this.slices)) {
        const docs: SnapshotChunkDoc[] = [];
        for (const { userId, json } of slice) {
          const pieces = splitText(json, this.chunkUnits);
          pieces.forEach((text, n) =>
            docs.push({ _id: linesPrefix(closeId, userId) + n, closeId, periodId, part: 'lines', index: index++, text, userId, pieces: pieces.length }),
          );
        }
        await this.m.periodSnapshotChunks.insertMany(docs, { ordered: true });
      }
    } catch (err) {
      // Nothing names this close id yet: tidy up what did get in, then fail the close.
      await this.m.periodSnapshotChunks.deleteMany({ closeId }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The winning close's snapshot: from its chunks (read in order, checked complete), or inline
   * for a period closed before snapshots were chunked.
   */
  getPeriodSnapshot(periodId: string): Promise<PeriodSnapshot | null> {
    return guard(async () => {
      const d = await this.m.periods.findById(periodId, { snapshot: 1 }).lean<Pick<PeriodDoc, '_id' | 'snapshot'>>();
      const snap = d?.snapshot;
      if (!snap) return null;
      const { data, csv } =
        typeof snap.closeId === 'string' ? await this.readChunks(periodId, snap.closeId, snap) : inlineParts(periodId, snap);
      return {
        periodId,
        closedAt: snap.closedAt,
        closedBy: snap.closedBy,
        data: JSON.parse(data) as unknown,
        csv,
        sha256: snap.sha256,
      };
    });
  }

  /**
   * Only `closeId`'s chunks: a lost race or a crash may have left others for this period. The
   * check is on counts and lengths the close recorded, not on `sha256`: the store keeps that
   * value as given (it is the domain's hash of the CSV, not something this layer computes).
   */
  private async readChunks(periodId: string, closeId: string, snap: SnapshotSub): Promise<Record<WholePart, string>> {
    const chunks = await this.m.periodSnapshotChunks
      .find({ closeId, part: { $in: SNAPSHOT_PARTS } }, { _id: 0, part: 1, index: 1, text: 1 })
      .sort({ part: 1, index: 1 })
      .lean<Pick<SnapshotChunkDoc, 'part' | 'index' | 'text'>[]>();
    const join = (part: WholePart, count: number | undefined, length: number | undefined) => {
      const what = `snapshot ${part} of period ${periodId} (close ${closeId})`;
      if (count === undefined || length === undefined) throw new Error(`${what}: no chunk count recorded`);
      return joinChunks(chunks.filter((c) => c.part === part), { count, length }, what);
    };
    return { data: join('data', snap.dataChunks, snap.dataLength), csv: join('csv', snap.csvChunks, snap.csvLength) };
  }

  /**
   * The winning close's `lines` pieces: these people's, each found by its `_id` range, or all of
   * them in order. A period closed before lines were kept apart has none (its lines are in data).
   */
  periodSnapshotLines(periodId: string, userIds?: readonly string[]): Promise<Map<string, unknown>> {
    return guard(async () => {
      if (userIds?.length === 0) return new Map();
      const d = await this.m.periods.findById(periodId, { 'snapshot.closeId': 1 }).lean<Pick<PeriodDoc, '_id' | 'snapshot'>>();
      const closeId = d?.snapshot?.closeId;
      if (typeof closeId !== 'string') return new Map();
      const filter: QueryFilter<SnapshotChunkDoc> = userIds
        ? { $or: userIds.map((id) => ({ _id: { $gte: linesPrefix(closeId, id), $lt: `${linesPrefix(closeId, id).slice(0, -1)};` } })) }
        : { closeId, part: 'lines' };
      const chunks = await this.m.periodSnapshotChunks
        .find(filter, { _id: 0, userId: 1, pieces: 1, index: 1, text: 1 })
        .sort({ part: 1, index: 1 })
        .lean<Pick<SnapshotChunkDoc, 'userId' | 'pieces' | 'index' | 'text'>[]>();
      return joinLines(chunks, `lines of period ${periodId} (close ${closeId})`);
    });
  }
}

/** A closed period's chunks that are not its snapshot's: any close id but the one its flip stored. */
const otherCloses = (periodId: string, closeId: string): QueryFilter<SnapshotChunkDoc> => ({ periodId, closeId: { $ne: closeId } });

/** `<closeId>:lines:<userId>:`: a person's pieces' ids start with it (ids hold no ':'). */
const linesPrefix = (closeId: string, userId: string) => `${closeId}:lines:${userId}:`;

/** Each person's pieces, in order, joined and parsed; a person missing a piece throws (never half their lines). */
function joinLines(chunks: readonly Pick<SnapshotChunkDoc, 'userId' | 'pieces' | 'index' | 'text'>[], what: string): Map<string, unknown> {
  const texts = new Map<string, { pieces: number; parts: string[] }>();
  for (const c of chunks) {
    if (typeof c.userId !== 'string' || typeof c.pieces !== 'number') throw new Error(`${what}: a piece names no person`);
    const t = texts.get(c.userId) ?? { pieces: c.pieces, parts: [] };
    t.parts.push(c.text);
    texts.set(c.userId, t);
  }
  const out = new Map<string, unknown>();
  for (const [userId, t] of texts) {
    if (t.parts.length !== t.pieces) throw new Error(`${what}: ${userId} has ${t.parts.length} of ${t.pieces} pieces`);
    out.set(userId, JSON.parse(t.parts.join('')) as unknown);
  }
  return out;
}

/** A snapshot stored inside its period document, as periods closed before chunking are. */
function inlineParts(periodId: string, snap: SnapshotSub): Record<WholePart, string> {
  if (typeof snap.data !== 'string' || typeof snap.csv !== 'string') {
    throw new Error(`snapshot of period ${periodId} has neither chunks nor inline data and CSV`);
  }
  return { data: snap.data, csv: snap.csv };
}
