/**
 * The payroll CSV of a period: one row per active person, RFC 4180, UTF-8 with a BOM, formula
 * cells neutralised. Closing a period stores the exact string, so its bytes never change.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { compareStrings } from './scoring-order.js';
import type { ScoreResult } from './scoring.js';

/** A person as the report (and a period snapshot) knows them. */
export interface PayrollPerson {
  id: string;
  name: string;
  email: string;
  team: string;
  managerEmail: string | null;
  active: boolean;
}

export const PAYROLL_COLUMNS = [
  'employee_id',
  'name',
  'email',
  'team',
  'manager_email',
  'kudos_received',
  'distinct_givers',
  'score',
  'tier',
  'eligible',
  'flags',
] as const;

/**
 * Report order: team, then name, then id. Case-insensitive first, then exact, using code-unit
 * comparison rather than localeCompare, whose results move with the ICU version inside Node.
 */
export function comparePeople(a: Pick<PayrollPerson, 'id' | 'name' | 'team'>, b: Pick<PayrollPerson, 'id' | 'name' | 'team'>): number {
  return (
    compareStrings(a.team.toLowerCase(), b.team.toLowerCase()) ||
    compareStrings(a.team, b.team) ||
    compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.id, b.id)
  );
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text` (BOM included): the X-Content-SHA256 value. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Builds the CSV for the active people in `people`; a person without a result (no kudos) gets a
 * zero row taken from `zero`. Every cell is text; cells starting with = + - @ tab or CR (and
 * their full-width forms) get a leading apostrophe so spreadsheets show them instead of running
 * them.
 */
export function buildPayrollCsv(
  results: readonly ScoreResult[],
  people: readonly PayrollPerson[],
  zero: (userId: string) => ScoreResult,
): { csv: string; sha256: string } {
  const byUser = new Map(results.map((r) => [r.userId, r]));
  const rows = people
    .filter((p) => p.active)
    .sort(comparePeople)
    .map((p) => {
      const r = byUser.get(p.id) ?? zero(p.id);
      return [
        p.id,
        p.name,
        p.email,
        p.team,
        p.managerEmail ?? '',
        String(r.kudosReceived),
        String(r.distinctGivers),
        r.score.toFixed(2),
        r.tier ?? '',
        r.eligible ? 'yes' : 'no',
        r.flags.join(';'),
      ];
    });
  const body = stringify([[...PAYROLL_COLUMNS], ...rows], {
    record_delimiter: 'windows',
    // Setting record_delimiter turns this off by default; a lone \n or \r inside a name must
    // still be quoted or readers would split the row.
    quote_record_delimiter: true,
    escape_formulas: true,
    eof: true,
  });
  const csv = `\uFEFF${body}`;
  return { csv, sha256: sha256Hex(csv) };
}
