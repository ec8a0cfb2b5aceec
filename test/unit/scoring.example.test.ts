/** The worked example of docs/scoring.md, number for number. Change both together. */
import { expect } from 'chai';
import { buildPayrollCsv, type PayrollPerson } from '../../src/domain/payroll-csv.js';
import { DEFAULT_RULES } from '../../src/domain/scoring-rules.js';
import { scorePeriod, zeroResult, type ScoreResult } from '../../src/domain/scoring.js';
import type { ScoringPair, ScoringRules } from '../../src/domain/types.js';

const rules: ScoringRules = {
  ...DEFAULT_RULES,
  tiers: [...DEFAULT_RULES.tiers],
  weights: { 'thank-customers': 1, 'take-ownership': 2, empathize: 1, 'active-listening': 1.5, 'keep-your-word': 1 },
};

const k = (id: string, giver: string, to: string[], createdAt: string, keys: string[]): ScoringPair[] =>
  to.map((r) => ({ kudosId: id, giverId: giver, recipientId: r, createdAt, recipientCount: to.length, behaviourKeys: keys }));

const pairs: ScoringPair[] = [
  ...k('K1', 'ben', ['ana'], '2026-03-02T09:00:00.000Z', ['thank-customers']),
  ...k('K2', 'cleo', ['ana', 'dev', 'eli'], '2026-03-03T10:00:00.000Z', ['take-ownership', 'empathize']),
  ...k('K3', 'ben', ['ana'], '2026-03-09T15:30:00.000Z', ['thank-customers', 'active-listening']),
  ...k('K4', 'dev', ['ana'], '2026-03-12T11:00:00.000Z', ['keep-your-word']),
  ...k('K5', 'ben', ['ana'], '2026-03-20T16:45:00.000Z', ['thank-customers']),
  ...k('A1', 'ana', ['ben'], '2026-03-04T08:00:00.000Z', ['thank-customers']),
  ...k('A2', 'ana', ['ben'], '2026-03-10T08:00:00.000Z', ['thank-customers']),
  ...k('A3', 'ana', ['ben'], '2026-03-21T08:00:00.000Z', ['thank-customers']),
];

const person = (id: string, name: string, team: string, managerEmail: string | null = 'max@example.com'): PayrollPerson => ({
  id, name, email: `${id}@example.com`, team, managerEmail, active: true,
});

const people: PayrollPerson[] = [
  person('ana', 'Ana Alves', 'Support'),
  person('ben', 'Ben Brook', 'Support'),
  person('cleo', 'Cleo Chan', 'Billing'),
  person('dev', 'Dev Das', 'Billing'),
  person('eli', 'Eli Eze', 'Billing'),
  person('max', 'Max Moss', 'Support', null),
];

describe('docs/scoring.md worked example', () => {
  const results = scorePeriod(pairs, rules, { withBreakdown: true });
  const of = (id: string) => results.find((r) => r.userId === id) as ScoreResult;
  const split3 = 1 / Math.sqrt(3);

  it('scores Ana 3.74, Bronze, eligible, reciprocal with Ben', () => {
    expect(of('ana')).to.include({ score: 3.74, tier: 'Bronze', eligible: true, distinctGivers: 3, kudosReceived: 5 });
    expect(of('ana').flags).to.deep.equal(['reciprocal']);
    expect(of('ana').breakdown.map((l) => [l.kudosId, l.base, l.adjustments, l.points])).to.deep.equal([
      ['K1', 1, [{ rule: 'reciprocal', factor: 1 }], 1],
      ['K2', 1.5, [{ rule: 'group_split', factor: split3 }], 0.87],
      ['K3', 1.25, [{ rule: 'repeat_pair', factor: 0.5 }, { rule: 'reciprocal', factor: 1 }], 0.62],
      ['K4', 1, [], 1],
      ['K5', 1, [{ rule: 'repeat_pair', factor: 0.25 }, { rule: 'reciprocal', factor: 1 }], 0.25],
    ]);
  });

  it('scores Ben 1.75 (one giver: not eligible), Dev and Eli 0.87 each', () => {
    expect(of('ben')).to.include({ score: 1.75, tier: null, eligible: false, distinctGivers: 1 });
    expect(of('ben').flags).to.deep.equal(['reciprocal']);
    expect(of('dev')).to.include({ score: 0.87, eligible: false });
    expect(of('eli')).to.include({ score: 0.87, eligible: false });
    expect(results.map((r) => r.userId)).to.deep.equal(['ana', 'ben', 'dev', 'eli']);
  });

  it('produces the CSV shown in the docs', () => {
    const { csv, sha256 } = buildPayrollCsv(results, people, (id) => zeroResult(id, rules));
    expect(csv).to.equal(
      '\uFEFFemployee_id,name,email,team,manager_email,kudos_received,distinct_givers,score,tier,eligible,flags\r\n' +
        'cleo,Cleo Chan,cleo@example.com,Billing,max@example.com,0,0,0.00,,no,\r\n' +
        'dev,Dev Das,dev@example.com,Billing,max@example.com,1,1,0.87,,no,\r\n' +
        'eli,Eli Eze,eli@example.com,Billing,max@example.com,1,1,0.87,,no,\r\n' +
        'ana,Ana Alves,ana@example.com,Support,max@example.com,5,3,3.74,Bronze,yes,reciprocal\r\n' +
        'ben,Ben Brook,ben@example.com,Support,max@example.com,3,1,1.75,,no,reciprocal\r\n' +
        'max,Max Moss,max@example.com,Support,,0,0,0.00,,no,\r\n',
    );
    expect(sha256).to.equal('31cde5790a1b8adecaeb90e7b4be4c9bc6b31c31cdca700fab56bb2b05cf8579');
  });
});
