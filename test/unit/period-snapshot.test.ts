import { expect } from 'chai';
import { readSnapshotData } from '../../src/domain/period-snapshot.js';
import type { PeriodSnapshot } from '../../src/domain/types.js';

const person = (id: string, name: string, active = true) => ({ id, name, email: `${id}@example.test`, team: 'Support', managerEmail: null, active });
const line = (kudosId: string, giverId: string, extra: Record<string, unknown> = {}) => ({
  kudosId, giverId, ...extra, createdAt: '2026-03-01T00:10:00.000Z', behaviours: ['thank'], base: 1, adjustments: [], points: 1,
});

/** A snapshot as stored: `data` is what JSON.parse gave back. */
function stored(lines: unknown[]): PeriodSnapshot {
  const data = {
    version: 1,
    period: { id: 'p1', name: 'March', startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z' },
    rules: { weights: {}, allowancePerPeriod: null, repeatPairDamping: 0.5, groupSplit: 'sqrt', minDistinctGivers: 1, reciprocalThreshold: 3, reciprocalPenalty: 1, tiers: [] },
    people: [person('a', 'Ana'), person('b', 'Ben at close', false), person('c', 'Cleo')],
    results: [
      { userId: 'a', score: lines.length, tier: null, eligible: true, distinctGivers: 1, kudosReceived: lines.length, flags: [], breakdown: lines },
      { userId: 'c', score: 0, tier: null, eligible: false, distinctGivers: 0, kudosReceived: 0, flags: ['few_givers'], breakdown: [] },
    ],
  };
  return { periodId: 'p1', closedAt: '2026-04-02T00:00:00.000Z', closedBy: 'hr', data: JSON.parse(JSON.stringify(data)) as unknown, csv: '', sha256: '' };
}

describe('period snapshot data', () => {
  it('names the lines of a snapshot closed before lines carried names from the people it froze', () => {
    const d = readSnapshotData(stored([line('k1', 'b'), line('k2', 'gone')]));
    const lines = d.results[0]!.breakdown;
    expect(lines[0]).to.deep.include({ kudosId: 'k1', giverId: 'b', giverName: 'Ben at close', points: 1 });
    expect(lines[1], 'an id the snapshot does not know: no name, the page falls back').to.deep.include({ giverId: 'gone', giverName: null });
  });

  it('keeps the names a newer snapshot stored with its lines, null included', () => {
    const d = readSnapshotData(stored([line('k1', 'b', { giverName: 'Ben as stored' }), line('k2', 'c', { giverName: null })]));
    expect(d.results[0]!.breakdown.map((l) => l.giverName)).to.deep.equal(['Ben as stored', null]);
  });

  it('still refuses a payload that is not a snapshot', () => {
    const bad: PeriodSnapshot = { ...stored([]), data: { version: 2, results: [] } };
    expect(() => readSnapshotData(bad)).to.throw(/unknown format/);
  });
});
