import { expect } from 'chai';
import { mongo } from 'mongoose';
import { StoreUnavailableError } from '../../src/domain/errors.js';
import type { PeriodSnapshot, SnapshotLines } from '../../src/domain/types.js';
import type { PeriodDoc, SnapshotChunkDoc } from '../../src/store/mongo/mongo-documents.js';
import type { Models } from '../../src/store/mongo/mongo-models.js';
import { MongoPeriods } from '../../src/store/mongo/mongo-periods.store.js';
import { atRandomInstant, seededRandom } from '../support/seeded-random.js';

/** No lone surrogate (String.prototype.isWellFormed, which this TypeScript lib does not declare yet). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

type Doc = Record<string, unknown>;

/** The filters MongoPeriods reads chunks with: one close's parts, or people's lines by `_id` range. */
type ChunkFilter =
  | { closeId: string; part: string | { $in: readonly string[] } }
  | { $or: { _id: { $gte: string; $lt: string } }[] };

function matches(c: SnapshotChunkDoc, f: ChunkFilter): boolean {
  if ('$or' in f) return f.$or.some((r) => c._id >= r._id.$gte && c._id < r._id.$lt);
  return c.closeId === f.closeId && (typeof f.part === 'string' ? c.part === f.part : f.part.$in.includes(c.part));
}

/** The filters MongoPeriods deletes chunks with: one close's, or a period's other closes'. */
type DeleteFilter = { periodId?: string; closeId: string | { $ne: string } };

const deletes = (c: SnapshotChunkDoc, f: DeleteFilter) =>
  (f.periodId === undefined || c.periodId === f.periodId) && (typeof f.closeId === 'string' ? c.closeId === f.closeId : c.closeId !== f.closeId.$ne);

/**
 * The model calls closing and reading a period make, over in-memory collections. Each call takes
 * effect at a random instant between its request and its answer, so racing closers interleave
 * differently for every seed. `fail` makes the next call of one kind throw instead.
 */
function fakeModels(random: () => number) {
  const periods = new Map<string, Doc>();
  const chunks = new Map<string, SnapshotChunkDoc>();
  const fail: { insertAfter?: number; update?: Error; deleteMany?: Error } = {};
  const calls = { deleteMany: [] as Doc[], insertMany: [] as number[] };
  let inserted = 0;
  const op = atRandomInstant(random);
  const m = {
    periods: {
      updateOne: (filter: { _id: string; status: string }, update: { $set: Doc }) =>
        op(() => {
          if (fail.update) throw fail.update;
          const p = periods.get(filter._id);
          if (!p || p.status !== filter.status) return { matchedCount: 0, modifiedCount: 0 };
          Object.assign(p, structuredClone(update.$set));
          return { matchedCount: 1, modifiedCount: 1 };
        }),
      findById: (id: string) => ({ lean: () => op(() => (periods.has(id) ? structuredClone(periods.get(id)) : null)) }),
      // The start-up sweep's read: closed periods whose snapshot names a close id, that id only.
      find: (filter: Doc, projection: Doc) => ({
        lean: () =>
          op(() => {
            expect(filter).to.deep.equal({ status: 'closed', 'snapshot.closeId': { $type: 'string' } });
            expect(projection).to.deep.equal({ 'snapshot.closeId': 1 });
            return [...periods.values()]
              .filter((p) => p.status === 'closed' && typeof (p.snapshot as PeriodDoc['snapshot'])?.closeId === 'string')
              .map((p) => ({ _id: p._id, snapshot: { closeId: (p.snapshot as { closeId: string }).closeId } }));
          }),
      }),
    },
    periodSnapshotChunks: {
      insertMany: (docs: SnapshotChunkDoc[], options: { ordered: boolean }) =>
        op(() => {
          expect(options.ordered).to.equal(true);
          calls.insertMany.push(docs.length);
          docs.forEach((d) => {
            // Counted across calls: the nth piece this close inserts fails.
            if (fail.insertAfter === inserted++) throw new mongo.MongoNetworkError('connection reset');
            if (chunks.has(d._id)) throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
            chunks.set(d._id, { ...d });
          });
        }),
      find: (filter: ChunkFilter, projection: Record<string, 0 | 1>) => ({
        sort: (spec: Doc) => ({
          lean: () =>
            op(() => {
              expect(spec).to.deep.equal({ part: 1, index: 1 });
              return [...chunks.values()]
                .filter((c) => matches(c, filter))
                .sort((a, b) => (a.part === b.part ? a.index - b.index : a.part < b.part ? -1 : 1))
                .map((c) => Object.fromEntries(Object.entries(projection).filter(([, on]) => on === 1).map(([k]) => [k, c[k as keyof SnapshotChunkDoc]])));
            }),
        }),
      }),
      deleteMany: (filter: DeleteFilter) =>
        op(() => {
          calls.deleteMany.push(filter);
          if (fail.deleteMany) throw fail.deleteMany;
          let deletedCount = 0;
          for (const [id, c] of chunks) if (deletes(c, filter)) deletedCount += Number(chunks.delete(id));
          return { deletedCount };
        }),
    },
  };
  const openPeriod = (id: string) =>
    periods.set(id, { _id: id, name: id, startsAt: 'a', endsAt: 'b', status: 'open', createdAt: 'a', closedAt: null, closedBy: null, snapshot: null });
  return { models: m as unknown as Models, periods, chunks, fail, calls, openPeriod };
}

/** Pieces of a close that died before its flip, written directly: a data, a CSV and a lines piece per person. */
function stageDead(chunks: Map<string, SnapshotChunkDoc>, periodId: string, closeId: string, userIds: readonly string[]): string[] {
  const docs: SnapshotChunkDoc[] = [
    { _id: `${closeId}:data:0`, closeId, periodId, part: 'data', index: 0, text: '{"dead"' },
    { _id: `${closeId}:csv:0`, closeId, periodId, part: 'csv', index: 0, text: 'dead\r\n' },
    ...userIds.map((userId, index) => ({ _id: `${closeId}:lines:${userId}:0`, closeId, periodId, part: 'lines' as const, index, text: '["dead"]', userId, pieces: 1 })),
  ];
  for (const d of docs) chunks.set(d._id, d);
  return docs.map((d) => d._id);
}

/** One close's pieces keyed by what they are, not by their close id: two closes of the same snapshot compare equal. */
const piecesOf = (chunks: Map<string, SnapshotChunkDoc>, closeId: string) =>
  new Map([...chunks.values()].filter((c) => c.closeId === closeId).map((c) => [`${c.part}:${c.userId ?? ''}:${c.index}`, c.text]));

const closeIdOf = (f: { periods: Map<string, Doc> }, periodId: string) => (f.periods.get(periodId) as unknown as PeriodDoc).snapshot?.closeId as string;

/** A snapshot whose data and CSV each span several 5-unit chunks, with pairs across their boundaries. */
function snapshot(periodId: string, tag: string): PeriodSnapshot {
  return {
    periodId,
    closedAt: '2026-02-01T00:01:00.000Z',
    closedBy: `hr-${tag}`,
    data: { version: 1, people: [{ id: 'u1', name: `Zoë 😀 ${tag}` }], results: [{ score: 12.5, note: '中文🎉' }] },
    csv: `\uFEFFid,name,score\r\nu1,"Zoë 😀😀 ${tag}",12.5\r\nu2,中文,0\r\n`,
    sha256: tag.padEnd(64, '0'),
  };
}

const CHUNK_UNITS = 5;

/** Each person's lines, over several 5-unit pieces; 'u1' is a prefix of 'u10' on purpose. */
function linesOf(tag: string): SnapshotLines[] {
  return [
    { userId: 'u1', lines: [{ kudosId: `k1${tag}`, giverName: 'Zoë 😀', points: 1.5 }] },
    { userId: 'u10', lines: [{ kudosId: `k10${tag}`, giverName: '中文', points: 0.25 }, { kudosId: `k11${tag}`, giverName: null, points: 1 }] },
    { userId: 'u2', lines: [] },
  ];
}

describe('mongo adapter: closing a period with a chunked snapshot (no server needed)', () => {
  it('stores the large parts as chunks and only metadata in the period; reads them back exactly', async () => {
    const f = fakeModels(seededRandom(1));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    const s = snapshot('p1', 'a');
    expect(await store.closePeriod(s)).to.equal(true);

    const period = f.periods.get('p1') as unknown as PeriodDoc;
    expect(period.status).to.equal('closed');
    const meta = period.snapshot;
    expect(meta).to.not.have.property('data');
    expect(meta).to.not.have.property('csv');
    const stored = [...f.chunks.values()];
    expect(stored.every((c) => c.closeId === meta?.closeId && c.periodId === 'p1')).to.equal(true);
    expect(stored.every((c) => c.text.length <= CHUNK_UNITS && wellFormed(c.text))).to.equal(true);
    expect(meta?.csvChunks).to.equal(stored.filter((c) => c.part === 'csv').length).and.to.be.above(3);
    expect(meta?.csvLength).to.equal(s.csv.length);
    expect(meta?.dataLength).to.equal(JSON.stringify(s.data).length);

    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(s);
    expect(await store.getPeriodSnapshot('nope')).to.equal(null);
  });

  it('of racing closers exactly one wins; the losers delete their own chunks and the winner is read whole', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const f = fakeModels(seededRandom(seed));
      f.openPeriod('p1');
      const store = new MongoPeriods(f.models, CHUNK_UNITS);
      const tags = ['a', 'b', 'c', 'd'];
      const snapshots = tags.map((tag) => snapshot('p1', tag));
      const won = await Promise.all(snapshots.map((s, i) => store.closePeriod(s, linesOf(tags[i] ?? ''))));
      expect(won.filter(Boolean), `seed ${seed}`).to.have.length(1);
      const winner = snapshots[won.indexOf(true)] as PeriodSnapshot;
      expect(await store.getPeriodSnapshot('p1'), `seed ${seed}`).to.deep.equal(winner);
      const winnerLines = linesOf(tags[won.indexOf(true)] ?? '');
      expect(await store.periodSnapshotLines('p1'), `seed ${seed}`).to.deep.equal(new Map(winnerLines.map((l) => [l.userId, l.lines])));
      const closeId = (f.periods.get('p1') as unknown as PeriodDoc).snapshot?.closeId;
      expect([...f.chunks.values()].every((c) => c.closeId === closeId), `seed ${seed}: only the winner's chunks remain`).to.equal(true);
      expect(f.calls.deleteMany.map((d) => d.closeId)).to.not.include(closeId);
    }
  });

  it("keeps each person's lines apart, in pieces, and reads back some people's or everyone's", async () => {
    const f = fakeModels(seededRandom(7));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    const s = snapshot('p1', 'a');
    const lines = linesOf('a');
    expect(await store.periodSnapshotLines('p1'), 'open: none').to.deep.equal(new Map());
    expect(await store.closePeriod(s, lines)).to.equal(true);
    const pieces = [...f.chunks.values()].filter((c) => c.part === 'lines');
    expect(pieces.length).to.be.above(lines.length);
    expect(pieces.every((c) => c.text.length <= CHUNK_UNITS && wellFormed(c.text))).to.equal(true);
    // The data and the CSV are read without the lines' pieces.
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(s);
    const all = new Map(lines.map((l) => [l.userId, l.lines]));
    expect(await store.periodSnapshotLines('p1')).to.deep.equal(all);
    expect(await store.periodSnapshotLines('p1', ['u1'])).to.deep.equal(new Map([['u1', all.get('u1')]]));
    expect(await store.periodSnapshotLines('p1', ['u10', 'u2', 'nobody'])).to.deep.equal(new Map([['u10', all.get('u10')], ['u2', []]]));
    expect(await store.periodSnapshotLines('p1', [])).to.deep.equal(new Map());

    const closeId = (f.periods.get('p1') as unknown as PeriodDoc).snapshot?.closeId as string;
    f.chunks.delete(`${closeId}:lines:u10:1`);
    const err = await store.periodSnapshotLines('p1', ['u10']).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).to.match(/u10 has \d+ of \d+ pieces$/);
  });

  it('answers "not closed" to a losing closer even when deleting its chunks fails (they are never read)', async () => {
    const f = fakeModels(seededRandom(2));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    expect(await store.closePeriod(snapshot('p1', 'a'))).to.equal(true);
    f.fail.deleteMany = new mongo.MongoNetworkError('connection reset');
    expect(await store.closePeriod(snapshot('p1', 'b'))).to.equal(false);
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(snapshot('p1', 'a'));
    expect(await store.closePeriod(snapshot('other', 'c')), 'no such period').to.equal(false);
  });

  it('keeps its chunks when the status flip fails (it may have been applied) and answers 503', async () => {
    const f = fakeModels(seededRandom(3));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    f.fail.update = new mongo.MongoNetworkError('connection reset');
    const err = await store.closePeriod(snapshot('p1', 'a')).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect(f.chunks.size).to.be.above(0);
    expect(f.calls.deleteMany).to.deep.equal([]);
    // Here the flip was not applied: the chunks are orphans, and a later close wins beside them and sweeps them.
    delete f.fail.update;
    const orphans = [...f.chunks.keys()];
    expect(await store.closePeriod(snapshot('p1', 'b'))).to.equal(true);
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(snapshot('p1', 'b'));
    expect(orphans.filter((id) => f.chunks.has(id))).to.deep.equal([]);
  });

  it('the winning close sweeps the pieces closes that died left for its period; its own stay byte for byte', async () => {
    // The same close with nothing left behind, for comparison.
    const clean = fakeModels(seededRandom(10));
    clean.openPeriod('p1');
    expect(await new MongoPeriods(clean.models, CHUNK_UNITS).closePeriod(snapshot('p1', 'b'), linesOf('b'))).to.equal(true);

    const f = fakeModels(seededRandom(10));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    // A close whose flip failed (not applied), and one that died before its flip, with the same people.
    f.fail.update = new mongo.MongoNetworkError('connection reset');
    expect(await store.closePeriod(snapshot('p1', 'a'), linesOf('a')).then(() => null, (e: unknown) => e)).to.be.instanceOf(StoreUnavailableError);
    delete f.fail.update;
    const dead = [...f.chunks.keys(), ...stageDead(f.chunks, 'p1', 'crashed', ['u1', 'u10', 'ghost'])];

    expect(await store.closePeriod(snapshot('p1', 'b'), linesOf('b'))).to.equal(true);
    const closeId = closeIdOf(f, 'p1');
    expect(dead.filter((id) => f.chunks.has(id)), 'every dead piece swept').to.deep.equal([]);
    expect([...f.chunks.values()].every((c) => c.closeId === closeId)).to.equal(true);
    expect(piecesOf(f.chunks, closeId)).to.deep.equal(piecesOf(clean.chunks, closeIdOf(clean, 'p1')));
    const read = await store.getPeriodSnapshot('p1');
    expect(read?.csv === snapshot('p1', 'b').csv).to.equal(true);
    expect(read).to.deep.equal(snapshot('p1', 'b'));
    expect(await store.periodSnapshotLines('p1')).to.deep.equal(new Map(linesOf('b').map((l) => [l.userId, l.lines])));
  });

  it('answers "closed" to the winning close even when its sweep fails; the dead pieces stay, never read', async () => {
    const f = fakeModels(seededRandom(11));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    const dead = stageDead(f.chunks, 'p1', 'crashed', ['u1']);
    f.fail.deleteMany = new mongo.MongoNetworkError('connection reset');
    expect(await store.closePeriod(snapshot('p1', 'a'), linesOf('a'))).to.equal(true);
    expect(f.calls.deleteMany).to.deep.equal([{ periodId: 'p1', closeId: { $ne: closeIdOf(f, 'p1') } }]);
    expect(dead.every((id) => f.chunks.has(id))).to.equal(true);
    delete f.fail.deleteMany;
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(snapshot('p1', 'a'));
    expect(await store.periodSnapshotLines('p1', ['u1'])).to.deep.equal(new Map([['u1', linesOf('a')[0]?.lines]]));
  });

  it("never sweeps the pieces of a period still open (a close may be under way), neither by another period's close nor at start-up", async () => {
    const f = fakeModels(seededRandom(12));
    f.openPeriod('p1');
    f.openPeriod('p2');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    const deadOfP1 = stageDead(f.chunks, 'p1', 'crashed', ['u1']);
    // On p2: a close under way, and one that died (p2 is open: which is which cannot be told).
    const underWay = [...stageDead(f.chunks, 'p2', 'under-way', ['u1', 'u2']), ...stageDead(f.chunks, 'p2', 'crashed-too', ['u1'])];

    expect(await store.closePeriod(snapshot('p1', 'a'))).to.equal(true);
    expect(deadOfP1.filter((id) => f.chunks.has(id)), "p1's dead pieces swept").to.deep.equal([]);
    expect(underWay.filter((id) => !f.chunks.has(id)), "p2's all kept").to.deep.equal([]);

    expect(await store.sweepOrphanChunks()).to.equal(0);
    expect(underWay.filter((id) => !f.chunks.has(id)), "p2's all kept at start-up").to.deep.equal([]);
    expect(f.calls.deleteMany.some((d) => d.periodId === 'p2')).to.equal(false);
  });

  it("sweeps at start-up the orphans of closed periods whose snapshot names a close id, and nothing else", async () => {
    const f = fakeModels(seededRandom(13));
    for (const id of ['p1', 'p2', 'p3']) f.openPeriod(id);
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    expect(await store.closePeriod(snapshot('p1', 'a'), linesOf('a'))).to.equal(true);
    expect(await store.closePeriod(snapshot('p3', 'c'))).to.equal(true);
    // Left after p1's winning sweep (a loser that died after it), and p2's close under way.
    const orphans = [...stageDead(f.chunks, 'p1', 'died-after', ['u1', 'u10']), ...stageDead(f.chunks, 'p1', 'died-too', [])];
    const underWay = stageDead(f.chunks, 'p2', 'under-way', ['u1']);
    // Closed before chunking: its snapshot names no close id, so its stray pieces are left alone.
    const old = snapshot('old', 'o');
    f.periods.set('old', {
      _id: 'old', status: 'closed', closedAt: old.closedAt, closedBy: old.closedBy,
      snapshot: { closedAt: old.closedAt, closedBy: old.closedBy, data: JSON.stringify(old.data), csv: old.csv, sha256: old.sha256 },
    });
    const strays = stageDead(f.chunks, 'old', 'stray', ['u1']);
    const kept = [...f.chunks.keys()].filter((id) => !orphans.includes(id));

    expect(await store.sweepOrphanChunks()).to.equal(orphans.length);
    expect([...f.chunks.keys()]).to.have.members(kept);
    expect(kept).to.include.members([...underWay, ...strays]);
    expect(f.calls.deleteMany.slice(-2)).to.deep.equal([
      { periodId: 'p1', closeId: { $ne: closeIdOf(f, 'p1') } },
      { periodId: 'p3', closeId: { $ne: closeIdOf(f, 'p3') } },
    ]);
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(snapshot('p1', 'a'));
    expect(await store.periodSnapshotLines('p1')).to.deep.equal(new Map(linesOf('a').map((l) => [l.userId, l.lines])));
    expect(await store.getPeriodSnapshot('p3')).to.deep.equal(snapshot('p3', 'c'));
    expect(await store.getPeriodSnapshot('old')).to.deep.equal(old);
    expect(await store.sweepOrphanChunks(), 'nothing left the second time').to.equal(0);
  });

  it('removes the chunks that got in when inserting them fails, and leaves the period open', async () => {
    const f = fakeModels(seededRandom(4));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    f.fail.insertAfter = 3;
    const err = await store.closePeriod(snapshot('p1', 'a')).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect(f.calls.deleteMany).to.have.length(1);
    expect(f.chunks.size).to.equal(0);
    expect(f.periods.get('p1')?.status).to.equal('open');
    expect(await store.getPeriodSnapshot('p1')).to.equal(null);
  });

  it('inserts the lines a slice of people at a time; a slice that fails removes every piece of the close', async () => {
    const f = fakeModels(seededRandom(8));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS, { people: 2, units: 2 ** 20 });
    const s = snapshot('p1', 'a');
    const lines = [...linesOf('a'), { userId: 'u3', lines: [{ kudosId: 'k3' }] }, { userId: 'u4', lines: [] }];
    expect(await store.closePeriod(s, lines)).to.equal(true);
    const pieces = (users: string[]) => [...f.chunks.values()].filter((c) => c.part === 'lines' && users.includes(c.userId ?? '')).length;
    // The data and CSV, then three slices: two people, two people, one.
    expect(f.calls.insertMany.slice(1)).to.deep.equal([pieces(['u1', 'u10']), pieces(['u2', 'u3']), pieces(['u4'])]);
    expect(await store.periodSnapshotLines('p1')).to.deep.equal(new Map(lines.map((l) => [l.userId, l.lines])));

    const g = fakeModels(seededRandom(9));
    g.openPeriod('p1');
    const failing = new MongoPeriods(g.models, CHUNK_UNITS, { people: 2, units: 2 ** 20 });
    // Past the data, the CSV and the first slice: the second slice fails.
    g.fail.insertAfter = f.calls.insertMany[0]! + pieces(['u1', 'u10']) + 1;
    const err = await failing.closePeriod(s, lines).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect(g.calls.insertMany).to.have.length(3);
    expect(g.chunks.size).to.equal(0);
    expect(g.periods.get('p1')?.status).to.equal('open');
  });

  it('reads a snapshot stored inline in the period document, as periods closed before chunking are', async () => {
    const f = fakeModels(seededRandom(5));
    const s = snapshot('old', 'a');
    f.periods.set('old', {
      _id: 'old', status: 'closed', closedAt: s.closedAt, closedBy: s.closedBy,
      snapshot: { closedAt: s.closedAt, closedBy: s.closedBy, data: JSON.stringify(s.data), csv: s.csv, sha256: s.sha256 },
    });
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    expect(await store.getPeriodSnapshot('old')).to.deep.equal(s);
  });

  it('refuses to serve a snapshot with a chunk missing, and ignores other closes\' orphans for the period', async () => {
    const f = fakeModels(seededRandom(6));
    f.openPeriod('p1');
    const store = new MongoPeriods(f.models, CHUNK_UNITS);
    const s = snapshot('p1', 'a');
    expect(await store.closePeriod(s)).to.equal(true);
    // An orphan of a crashed close of the same period, under another close id.
    f.chunks.set('crashed:csv:0', { _id: 'crashed:csv:0', closeId: 'crashed', periodId: 'p1', part: 'csv', index: 0, text: 'stale' });
    expect(await store.getPeriodSnapshot('p1')).to.deep.equal(s);

    const closeId = (f.periods.get('p1') as unknown as PeriodDoc).snapshot?.closeId as string;
    f.chunks.delete(`${closeId}:csv:1`);
    const err = await store.getPeriodSnapshot('p1').then(() => null, (e: unknown) => e as Error);
    expect(err?.message).to.match(new RegExp(`^snapshot csv of period p1 \\(close ${closeId}\\): expected \\d+ chunks, found \\d+$`));
    expect(err).to.not.be.instanceOf(StoreUnavailableError);
  });
});
