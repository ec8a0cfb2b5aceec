import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'mocha';
import { expect } from 'chai';
import { PeriodOverlapError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import type { NewPeriod, PeriodSnapshot, ScoringRules } from '../../src/domain/types.js';
import type { StoreKind } from '../support/stores.js';
import { at, buildBehaviour, useStore } from './contract-fixtures.js';

function buildPeriod(name: string, startsAt: string, endsAt: string): NewPeriod {
  return { id: newId(), name, startsAt, endsAt, createdAt: at(0) };
}

const RULES: Omit<ScoringRules, 'weights'> = {
  allowancePerPeriod: 10,
  repeatPairDamping: 0.5,
  groupSplit: 'sqrt',
  minDistinctGivers: 3,
  reciprocalThreshold: 0.8,
  reciprocalPenalty: 0.5,
  tiers: [
    { name: 'Bronze', threshold: 5 },
    { name: 'Silver', threshold: 10.5 },
  ],
};

/** Periods, closing with a snapshot, and the scoring rules. */
export function periodsContract(kind: StoreKind): void {
  describe('periods and rules', () => {
    const store = useStore(kind);
    const jan = buildPeriod('January', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
    const feb = buildPeriod('February', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
    const q2 = buildPeriod('Q2', '2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z');

    beforeEach(async () => {
      for (const p of [feb, q2, jan]) await store().createPeriod(p);
    });

    it('creates open periods and lists them newest start first', async () => {
      const read = await store().getPeriod(jan.id);
      expect(read).to.deep.equal({ ...jan, status: 'open', closedAt: null, closedBy: null });
      expect(await store().getPeriod(newId())).to.equal(null);
      expect((await store().listPeriods()).map((p) => p.name)).to.deep.equal(['Q2', 'February', 'January']);
    });

    it('finds periods intersecting a half-open range; touching ends do not overlap', async () => {
      const names = async (s: string, e: string) =>
        (await store().overlappingPeriods(s, e)).map((p) => p.name).sort();
      expect(await names('2026-01-15T00:00:00.000Z', '2026-02-15T00:00:00.000Z')).to.deep.equal(['February', 'January']);
      expect(await names('2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).to.deep.equal(['February']);
      expect(await names('2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).to.deep.equal([]);
      expect(await names('2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z')).to.deep.equal([]);
      expect(await names('2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z')).to.deep.equal(['Q2']);
      expect(await names('2025-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).to.deep.equal([
        'February',
        'January',
        'Q2',
      ]);
    });

    it('refuses a period that intersects another, also when two are written at once', async () => {
      const march = buildPeriod('March', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z');
      const spring = buildPeriod('Spring', '2026-03-15T00:00:00.000Z', '2026-04-15T00:00:00.000Z');
      const late = buildPeriod('Late Q2', '2026-06-30T00:00:00.000Z', '2026-07-02T00:00:00.000Z');
      const overlap = await store().createPeriod(late).then(() => null, (err: unknown) => err);
      expect(overlap).to.be.instanceOf(PeriodOverlapError);
      expect((overlap as PeriodOverlapError).clash.name).to.equal('Q2');
      expect((overlap as PeriodOverlapError).code).to.equal('period_overlap');
      // March and Spring are both free of the three seeded periods, but not of each other.
      const results = await Promise.allSettled([store().createPeriod(march), store().createPeriod(spring)]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused?.reason).to.be.instanceOf(PeriodOverlapError);
      const names = (await store().listPeriods()).map((p) => p.name);
      expect(names.filter((n) => n === 'March' || n === 'Spring')).to.have.length(1);
      expect(names).to.not.include('Late Q2');
    });

    it('closes a period once, storing its snapshot atomically', async () => {
      const snapshot: PeriodSnapshot = {
        periodId: jan.id,
        closedAt: at(100),
        closedBy: 'hr-user',
        data: { rules: RULES, people: [{ id: 'u1', score: 12.5, tier: 'Silver' }], note: null },
        csv: 'id,name,score\r\nu1,Ann,12.5\r\n',
        sha256: 'a'.repeat(64),
      };
      expect(await store().getPeriodSnapshot(jan.id)).to.equal(null);
      expect(await store().closePeriod(snapshot)).to.equal(true);
      expect(await store().getPeriod(jan.id)).to.deep.equal({
        ...jan,
        status: 'closed',
        closedAt: at(100),
        closedBy: 'hr-user',
      });
      expect(await store().getPeriodSnapshot(jan.id)).to.deep.equal(snapshot);

      const second = { ...snapshot, closedAt: at(200), csv: 'changed', sha256: 'b'.repeat(64) };
      expect(await store().closePeriod(second)).to.equal(false);
      expect(await store().getPeriodSnapshot(jan.id)).to.deep.equal(snapshot);
      expect((await store().getPeriod(jan.id))?.closedAt).to.equal(at(100));

      expect(await store().closePeriod({ ...snapshot, periodId: newId() })).to.equal(false);
      expect((await store().getPeriod(feb.id))?.status).to.equal('open');
    });

    it('reads back a closed period whose CSV is larger than 16 MiB byte-identical, with its SHA-256', async () => {
      // Past MongoDB's 16 MiB document cap, with multi-byte characters and surrogate pairs throughout.
      const row = 'u0000000001,"Zoë 😀 中文",ann@acme.test,12.5\r\n';
      const csv = '\uFEFFid,name,email,score\r\n' + row.repeat(Math.ceil((16 * 2 ** 20 + 1) / Buffer.byteLength(row)));
      expect(Buffer.byteLength(csv)).to.be.above(16 * 2 ** 20);
      const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
      const data = { version: 1, rules: RULES, note: 'é😀'.repeat(400_000) };
      expect(await store().closePeriod({ periodId: jan.id, closedAt: at(100), closedBy: 'hr-user', data, csv, sha256 })).to.equal(true);
      const read = await store().getPeriodSnapshot(jan.id);
      // Not deep.equal on the whole: a failure would print a 16 MiB diff.
      expect(read?.csv.length).to.equal(csv.length);
      expect(read?.csv === csv, 'the CSV is byte-identical').to.equal(true);
      expect(createHash('sha256').update(read?.csv ?? '', 'utf8').digest('hex')).to.equal(sha256);
      expect(read?.sha256).to.equal(sha256);
      expect(read?.data).to.deep.equal(data);
    });

    it('lets exactly one of two racing closes win, and reads back the winner\'s snapshot whole', async () => {
      const close = (tag: string): PeriodSnapshot => ({
        periodId: feb.id,
        closedAt: at(100),
        closedBy: `hr-${tag}`,
        data: { version: 1, tag },
        // Over a megabyte each, so each close writes several pieces where a store splits them.
        csv: `id,tag\r\n${`u1,${tag} 😀\r\n`.repeat(150_000)}`,
        sha256: tag.repeat(64),
      });
      const [a, b] = [close('a'), close('b')];
      const won = await Promise.all([store().closePeriod(a), store().closePeriod(b)]);
      expect(won.filter(Boolean)).to.have.length(1);
      const winner = won[0] ? a : b;
      const read = await store().getPeriodSnapshot(feb.id);
      expect(read?.closedBy).to.equal(winner.closedBy);
      expect(read?.csv === winner.csv, 'the winner\'s CSV, whole').to.equal(true);
      expect({ ...read, csv: null }).to.deep.equal({ ...winner, csv: null });
      expect((await store().getPeriod(feb.id))?.closedBy).to.equal(winner.closedBy);
    });

    it('keeps each person\'s lines apart: read for some people or everyone, only the winning close\'s', async () => {
      const snapshot = (tag: string): PeriodSnapshot => ({ periodId: jan.id, closedAt: at(100), closedBy: `hr-${tag}`, data: { version: 2, tag }, csv: 'id\r\n', sha256: 'c'.repeat(64) });
      // Lines of any size and content, a person with over a megabyte of them among them.
      const linesOf = (tag: string) => [
        { userId: 'u1', lines: [{ kudosId: `k1-${tag}`, giverName: 'Zoë 😀', points: 1.5 }] },
        { userId: 'u2', lines: Array.from({ length: 7_000 }, (_, i) => ({ kudosId: `k2-${tag}-${i}`, giverName: '中文 '.repeat(40), points: 0.25 })) },
        { userId: 'u10', lines: [] },
      ];
      expect(await store().periodSnapshotLines(jan.id), 'an open period has none').to.deep.equal(new Map());
      const [a, b] = [linesOf('a'), linesOf('b')];
      const won = await Promise.all([store().closePeriod(snapshot('a'), a), store().closePeriod(snapshot('b'), b)]);
      expect(won.filter(Boolean)).to.have.length(1);
      const winner = won[0] ? a : b;
      expect(JSON.stringify(winner[1]?.lines).length).to.be.above(2 ** 20);
      const all = await store().periodSnapshotLines(jan.id);
      expect([...all.keys()].sort()).to.deep.equal(['u1', 'u10', 'u2']);
      for (const { userId, lines } of winner) expect(all.get(userId), userId).to.deep.equal(lines);
      const some = await store().periodSnapshotLines(jan.id, ['u1', 'u10', 'nobody']);
      expect(some).to.deep.equal(new Map([['u1', winner[0]?.lines], ['u10', []]]));
      // 'u1' must not bring 'u10' along: one person's key is not another's prefix.
      expect([...(await store().periodSnapshotLines(jan.id, ['u1'])).keys()]).to.deep.equal(['u1']);
      expect(await store().periodSnapshotLines(jan.id, [])).to.deep.equal(new Map());
      expect(await store().periodSnapshotLines(feb.id, ['u1'])).to.deep.equal(new Map());
    });

    describe('closing with lines written in slices', () => {
      const snapshotOf = (periodId: string, tag: string): PeriodSnapshot => ({ periodId, closedAt: at(100), closedBy: `hr-${tag}`, data: { version: 2, tag }, csv: 'id\r\n', sha256: 'd'.repeat(64) });
      /** `n` people with one short line each: one stored row or piece per person. */
      const linesOf = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ userId: `u${i}`, lines: [{ kudosId: `k${i}-${tag}`, points: 1 }] }));
      const asMap = (lines: ReturnType<typeof linesOf>) => new Map<string, unknown>(lines.map((l) => [l.userId, l.lines]));

      it('never reads the lines of a close that died before its flip, the winner sweeps them, and a close whose flip loses removes its own', async () => {
        await kind.stageAbandoned(store(), jan.id, [{ userId: 'u1', lines: ['dead'] }, { userId: 'ghost', lines: ['dead'] }]);
        expect(await store().periodSnapshotLines(jan.id), 'open').to.deep.equal(new Map());
        const won = linesOf('a', 3);
        expect(await store().closePeriod(snapshotOf(jan.id, 'a'), won)).to.equal(true);
        expect(await store().periodSnapshotLines(jan.id)).to.deep.equal(asMap(won));
        expect(await store().periodSnapshotLines(jan.id, ['u1', 'ghost'])).to.deep.equal(new Map([['u1', won[1]?.lines]]));
        const rows = await kind.storedLineRows(store(), jan.id);
        expect(rows, "the winner swept the dead close's lines: its own are all that is left").to.equal(won.length);
        // Closed meanwhile: this close stages every slice, then its flip finds the period closed.
        expect(await store().closePeriod(snapshotOf(jan.id, 'b'), linesOf('b', 600))).to.equal(false);
        expect(await kind.storedLineRows(store(), jan.id), 'the loser removed what it staged').to.equal(rows);
        expect(await store().periodSnapshotLines(jan.id)).to.deep.equal(asMap(won));
        expect((await store().getPeriodSnapshot(jan.id))?.closedBy).to.equal('hr-a');
      });

      it('a close still writing its lines when another finishes loses, and leaves nothing of its own', async () => {
        const [slowLines, fastLines] = [linesOf('slow', 1_500), linesOf('fast', 2)];
        const slow = store().closePeriod(snapshotOf(feb.id, 'slow'), slowLines);
        const fastWon = await store().closePeriod(snapshotOf(feb.id, 'fast'), fastLines);
        const slowWon = await slow;
        expect([slowWon, fastWon].filter(Boolean)).to.have.length(1);
        // sqlite's turns are its own (no I/O waits): the small close flips while the large one still stages.
        if (kind.name === 'sqlite') expect(fastWon, 'the small close won').to.equal(true);
        const winner = fastWon ? fastLines : slowLines;
        expect(await store().periodSnapshotLines(feb.id)).to.deep.equal(asMap(winner));
        expect(await kind.storedLineRows(store(), feb.id)).to.equal(winner.length);
        expect((await store().getPeriodSnapshot(feb.id))?.closedBy).to.equal(fastWon ? 'hr-fast' : 'hr-slow');
      });

      it('lets the event loop turn while it stores the lines of a few thousand people', async () => {
        let turns = 0;
        let closing = true;
        const count = () => {
          if (!closing) return;
          turns++;
          setImmediate(count);
        };
        setImmediate(count);
        const lines = linesOf('big', 3_000);
        try {
          expect(await store().closePeriod(snapshotOf(jan.id, 'big'), lines)).to.equal(true);
        } finally {
          closing = false;
        }
        expect(turns, 'setImmediate callbacks run during the close').to.be.at.least(5);
        expect((await store().periodSnapshotLines(jan.id)).size).to.equal(3_000);
      });

      it('a close that fails while storing its lines leaves the period open and none of its lines', async () => {
        // The same person twice, in a later slice than the first: storing fails part-way.
        const lines = [...linesOf('x', 600), { userId: 'u0', lines: ['again'] }];
        const err = await store().closePeriod(snapshotOf(jan.id, 'x'), lines).then(() => null, (e: unknown) => e);
        expect(err).to.be.instanceOf(Error);
        expect((await store().getPeriod(jan.id))?.status).to.equal('open');
        expect(await store().getPeriodSnapshot(jan.id)).to.equal(null);
        expect(await kind.storedLineRows(store(), jan.id)).to.equal(0);
        const retry = linesOf('y', 2);
        expect(await store().closePeriod(snapshotOf(jan.id, 'y'), retry)).to.equal(true);
        expect(await store().periodSnapshotLines(jan.id)).to.deep.equal(asMap(retry));
      });
    });

    it('stores rules: null before the first save, then the last saved value', async () => {
      expect(await store().getRules()).to.equal(null);
      await store().saveRules(RULES);
      expect(await store().getRules()).to.deep.equal(RULES);
      const changed = { ...RULES, allowancePerPeriod: null, groupSplit: 'equal' as const, tiers: [] };
      await store().saveRules(changed);
      expect(await store().getRules()).to.deep.equal(changed);
    });

    it('saves the rules with the weights they change, and only those', async () => {
      const a = await store().createBehaviour(buildBehaviour({ weight: 1 }));
      const b = await store().createBehaviour(buildBehaviour({ weight: 2 }));
      await store().saveRules(RULES, { [a.key]: 3.5 });
      expect(await store().getRules()).to.deep.equal(RULES);
      const weights = new Map((await store().listBehaviours()).map((x) => [x.key, x.weight]));
      expect([weights.get(a.key), weights.get(b.key)]).to.deep.equal([3.5, 2]);
    });
  });
}
