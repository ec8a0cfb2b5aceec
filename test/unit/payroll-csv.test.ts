import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { buildPayrollCsv, PAYROLL_COLUMNS, sha256Hex, type PayrollPerson } from '../../src/domain/payroll-csv.js';
import { DEFAULT_RULES } from '../../src/domain/scoring-rules.js';
import { scorePeriod, zeroResult } from '../../src/domain/scoring.js';
import type { ScoringPair, ScoringRules } from '../../src/domain/types.js';

const rules: ScoringRules = { ...DEFAULT_RULES, tiers: [...DEFAULT_RULES.tiers], weights: {} };
const zero = (id: string) => zeroResult(id, rules);

const person = (id: string, name: string, team: string, over: Partial<PayrollPerson> = {}): PayrollPerson => ({
  id, name, email: `${id}@example.com`, team, managerEmail: 'boss@example.com', active: true, ...over,
});

const people: PayrollPerson[] = [
  person('p1', 'Smith, "Jo"', 'Support'),
  person('p2', 'Line\nBreak', 'Support'),
  person('p3', '=HYPERLINK("http://x")', 'Billing'),
  person('p4', '+1', 'Billing'),
  person('p5', '-2', 'Billing'),
  person('p6', '@x', 'Billing'),
  person('p7', '\tTabbed', 'Billing'),
  person('p8', 'Zoë Ñúñez', 'billing', { managerEmail: null }),
  person('p9', 'Gone', 'Billing', { active: false }),
  person('p0', 'Ann', 'Support'),
  person('pa', 'Ann', 'Support'),
  person('pr', 'Carriage\rReturn', 'Support'),
];

const pairs: ScoringPair[] = ['g1', 'g2', 'g3'].map((g, i) => ({
  kudosId: `k${i}`, giverId: g, recipientId: 'p1', createdAt: `2026-03-0${i + 1}T10:00:00.000Z`, recipientCount: 1, behaviourKeys: ['thank'],
}));

function parsed(csv: string): string[][] {
  return parse(csv, { bom: true, relax_column_count: false }) as string[][];
}

describe('buildPayrollCsv', () => {
  const { csv, sha256 } = buildPayrollCsv(scorePeriod(pairs, rules), people, zero);
  const rows = parsed(csv);

  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(csv.endsWith('\r\n')).to.equal(true);
    expect(csv.replace(/"[^"]*"/g, '').split('\n').every((l, i, all) => i === all.length - 1 || l.endsWith('\r'))).to.equal(true);
  });

  it('carries the sha256 of its bytes', () => {
    expect(sha256).to.equal(sha256Hex(csv));
    expect(sha256).to.match(/^[0-9a-f]{64}$/);
  });

  it('has the header, then one row per active person, ordered by team, name, id', () => {
    expect(rows[0]).to.deep.equal([...PAYROLL_COLUMNS]);
    expect(rows.slice(1).map((r) => r[0])).to.deep.equal(['p7', 'p4', 'p5', 'p3', 'p6', 'p8', 'p0', 'pa', 'pr', 'p2', 'p1']);
  });

  it('round-trips commas, quotes, newlines and non-ASCII names', () => {
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.get('p1')?.[1]).to.equal('Smith, "Jo"');
    expect(byId.get('p2')?.[1]).to.equal('Line\nBreak');
    expect(byId.get('p8')?.[1]).to.equal('Zoë Ñúñez');
    expect(byId.get('p8')?.[4]).to.equal('');
    expect(csv).to.include('"Smith, ""Jo"""');
  });

  it('neutralises cells that a spreadsheet would run as a formula', () => {
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.get('p3')?.[1]).to.equal(`'=HYPERLINK("http://x")`);
    expect(byId.get('p4')?.[1]).to.equal("'+1");
    expect(byId.get('p5')?.[1]).to.equal("'-2");
    expect(byId.get('p6')?.[1]).to.equal("'@x");
    expect(byId.get('p7')?.[1]).to.equal("'\tTabbed");
    expect(byId.get('pr')?.[1]).to.equal('Carriage\rReturn');
  });

  it('includes people without kudos as zero rows, and scores the others', () => {
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(byId.get('p1')).to.deep.equal(['p1', 'Smith, "Jo"', 'p1@example.com', 'Support', 'boss@example.com', '3', '3', '3.00', 'Bronze', 'yes', '']);
    expect(byId.get('p4')?.slice(5)).to.deep.equal(['0', '0', '0.00', '', 'no', '']);
  });

  it('is byte-identical when built again from the same input in another order', () => {
    const again = buildPayrollCsv(scorePeriod([...pairs].reverse(), rules), [...people].reverse(), zero);
    expect(again.csv).to.equal(csv);
    expect(again.sha256).to.equal(sha256);
  });
});
