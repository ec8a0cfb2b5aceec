import { parse } from 'csv-parse/sync';
import { audit } from './audit.js';
import { isoAt, type Deps } from './deps.js';
import { ValidationError } from './errors.js';
import { newId } from './ids.js';
import { closesLoop } from './reporting-lines.js';
import { importRowSchema } from './schemas/people.schema.js';
import type { Role, User } from './types.js';

export interface ImportResult {
  created: number;
  updated: number;
  errors: { line: number; message: string }[];
}

const REQUIRED = ['name', 'email', 'team'] as const;
const KNOWN = new Set(['name', 'email', 'team', 'manager_email', 'role']);
const MAX_ROWS = 20_000;

interface Row {
  line: number;
  name: string;
  email: string;
  team: string;
  /** null: no manager (an empty cell); undefined: keep the current one (no manager_email column). */
  managerEmail: string | null | undefined;
  role: Role | null;
}

/**
 * Lines (1-based) holding U+FFFD, the character a decoder puts where bytes were not UTF-8. Excel's
 * plain "CSV" is Windows-1252: read as UTF-8, "Renée" arrived as "Ren\uFFFDe" and was saved, and
 * went on into payroll that way. Such a file is refused whole instead: every row of it is affected.
 */
function undecodableLines(text: string): number[] {
  if (!text.includes('\uFFFD')) return [];
  return text.split(/\r\n|\n|\r/).flatMap((l, i) => (l.includes('\uFFFD') ? [i + 1] : []));
}

function parseCsv(text: string): { header: string[]; records: { line: number; cells: string[] }[] } {
  const garbled = undecodableLines(text);
  if (garbled.length > 0) {
    throw new ValidationError(
      'The CSV is not UTF-8: some characters cannot be read. In Excel, save it as "CSV UTF-8", or send its charset in Content-Type (e.g. text/csv; charset=windows-1252).',
      garbled.slice(0, 10).map((line) => ({ path: `line ${line}`, message: 'characters that are not UTF-8' })),
      'invalid_csv',
    );
  }
  let raw: { record: string[]; info: { lines: number } }[];
  try {
    raw = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof raw;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ValidationError(`The CSV cannot be read${line ? ` (near line ${line})` : ''}.`, [{ path: line ? `line ${line}` : 'body', message: (err as Error).message }], 'invalid_csv');
  }
  const [head, ...rest] = raw;
  if (!head) throw new ValidationError('The CSV is empty.', [], 'invalid_csv');
  const header = head.record.map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !KNOWN.has(h));
  // A column named twice would let its last cell silently win ("name,email,team,name").
  const repeated = [...new Set(header.filter((h, i) => header.indexOf(h) !== i))];
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    throw new ValidationError('The CSV header must be name,email,team,manager_email,role.', [
      ...missing.map((m) => ({ path: 'header', message: `missing column ${m}` })),
      ...unknown.map((u) => ({ path: 'header', message: `unknown column ${u}` })),
      ...repeated.map((r) => ({ path: 'header', message: `column ${r} appears more than once` })),
    ], 'invalid_csv');
  }
  if (rest.length > MAX_ROWS) throw new ValidationError(`At most ${MAX_ROWS} rows per import.`, [], 'invalid_csv');
  return { header, records: rest.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

/**
 * Upserts people by email. Each row is applied whole or not at all; rows that break a rule are
 * reported by line and change nothing. Managers may refer to people earlier or later in the file.
 */
export async function importUsers(deps: Deps, actor: User, text: string): Promise<ImportResult> {
  const { header, records } = parseCsv(text);
  const result: ImportResult = { created: 0, updated: 0, errors: [] };
  const rows: Row[] = [];
  const seen = new Set<string>();
  // Only name, email and team are required: a file without manager_email must not read as "nobody
  // has a manager" and strip every listed person of theirs (their manager would lose their scores).
  const hasManagerColumn = header.includes('manager_email');
  const unreadable = new Map<string, number>();
  for (const { line, cells } of records) {
    if (cells.length !== header.length) {
      result.errors.push({ line, message: `expected ${header.length} fields, found ${cells.length}` });
      continue;
    }
    const obj = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    const parsed = importRowSchema.safeParse(obj);
    if (!parsed.success) {
      result.errors.push({ line, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      // Someone listed under this person then hears why their manager is missing.
      const email = obj.email?.trim().toLowerCase();
      if (email && !unreadable.has(email)) unreadable.set(email, line);
      continue;
    }
    const r = parsed.data;
    if (seen.has(r.email)) {
      result.errors.push({ line, message: `email ${r.email} appears more than once in the file` });
      continue;
    }
    seen.add(r.email);
    rows.push({ line, name: r.name, email: r.email, team: r.team, managerEmail: hasManagerColumn ? r.manager_email || null : undefined, role: r.role || null });
  }

  const existing = new Map((await deps.store.allUsers()).map((u) => [u.email, u]));
  // An import never changes whether someone is active: a row for a deactivated person leaves
  // them deactivated, so only people new in this file can be managers beside the active ones.
  const newEmails = new Set(rows.filter((r) => !existing.has(r.email)).map((r) => r.email));
  const accepted: Row[] = [];
  for (const r of rows) {
    const problem = rowProblem(actor, r, existing, newEmails, unreadable);
    if (problem) result.errors.push({ line: r.line, message: problem });
    else accepted.push(r);
  }
  // A row whose manager row was rejected must be rejected too, and a row whose manager would make
  // a reporting loop; each rejection can cause more of either, so repeat until stable.
  let changed = true;
  const acceptedEmails = new Set(accepted.map((r) => r.email));
  const emailOf = new Map([...existing.values()].map((u) => [u.id, u.email]));
  while (changed) {
    changed = false;
    for (const r of accepted) {
      if (!acceptedEmails.has(r.email) || !r.managerEmail || existing.get(r.managerEmail)?.active || (acceptedEmails.has(r.managerEmail) && !existing.has(r.managerEmail))) continue;
      acceptedEmails.delete(r.email);
      result.errors.push({ line: r.line, message: `manager ${r.managerEmail} was not imported` });
      changed = true;
    }
    // Managers as they would be after this import, by email: the file's rows over what is stored.
    const managerOf = new Map([...existing.values()].map((u) => [u.email, u.managerId ? (emailOf.get(u.managerId) ?? null) : null]));
    for (const r of accepted) if (acceptedEmails.has(r.email) && r.managerEmail !== undefined) managerOf.set(r.email, r.managerEmail);
    const looping: Row[] = [];
    for (const r of accepted) {
      if (acceptedEmails.has(r.email) && r.managerEmail && (await closesLoop(r.email, r.managerEmail, (e) => managerOf.get(e)))) looping.push(r);
    }
    for (const r of looping) {
      acceptedEmails.delete(r.email);
      result.errors.push({ line: r.line, message: `manager ${r.managerEmail} reports to ${r.email}, directly or through others: reporting lines cannot loop` });
      changed = true;
    }
  }

  const now = isoAt(deps.clock.now());
  const byEmail = new Map(existing);
  const toApply = accepted.filter((r) => acceptedEmails.has(r.email));
  let written = 0;
  for (const r of toApply) {
    // An embedded store writes synchronously: let health checks and live sockets in now and then.
    if (++written % YIELD_EVERY === 0) await yieldToEventLoop();
    const before = byEmail.get(r.email);
    if (before) {
      const roleChanged = r.role !== null && r.role !== before.role;
      const u = await deps.store.updateUser(before.id, {
        name: r.name, team: r.team, updatedAt: now, ...(roleChanged ? { role: r.role as Role, bumpTokenVersion: true } : {}),
      });
      if (u) byEmail.set(u.email, u);
      if (roleChanged) {
        deps.live.disconnectUser(before.id);
        await audit(deps, actor.id, 'user.role_changed', { type: 'user', id: before.id }, { from: before.role, to: r.role, via: 'import' });
      }
      result.updated++;
    } else {
      const u = await deps.store.createUser({
        id: newId(), name: r.name, email: r.email, team: r.team, role: r.role ?? 'employee',
        managerId: null, passwordHash: null, createdAt: now,
      });
      byEmail.set(u.email, u);
      result.created++;
    }
  }
  for (const r of toApply) {
    if (++written % YIELD_EVERY === 0) await yieldToEventLoop();
    if (r.managerEmail === undefined) continue;
    const u = byEmail.get(r.email);
    const managerId = r.managerEmail ? (byEmail.get(r.managerEmail)?.id ?? null) : null;
    if (u && u.managerId !== managerId) await deps.store.updateUser(u.id, { managerId, updatedAt: now });
  }
  result.errors.sort((a, b) => a.line - b.line);
  await audit(deps, actor.id, 'users.imported', { type: 'user', id: null }, { created: result.created, updated: result.updated, rejected: result.errors.length });
  return result;
}

const YIELD_EVERY = 100;
const yieldToEventLoop = () => new Promise<void>((ok) => setImmediate(ok));

function rowProblem(actor: User, r: Row, existing: Map<string, User>, newEmails: Set<string>, unreadable: Map<string, number>): string | null {
  const before = existing.get(r.email);
  const role = r.role ?? before?.role ?? 'employee';
  if (before && r.role !== null && r.role !== before.role) {
    if (actor.role !== 'admin') return 'only an admin can change roles';
    if (before.id === actor.id) return 'nobody can change their own role';
  }
  if (!before && actor.role !== 'admin' && role !== 'employee' && role !== 'manager') return `only an admin can create a user with role ${role}`;
  if ((before?.role === 'admin' || before?.role === 'hr') && actor.role !== 'admin' && before.id !== actor.id) {
    return `only an admin can change an ${before.role} account`;
  }
  if (r.managerEmail === r.email) return 'a person cannot be their own manager';
  if (r.managerEmail && !existing.get(r.managerEmail)?.active && !newEmails.has(r.managerEmail)) {
    const line = unreadable.get(r.managerEmail);
    if (line !== undefined) return `manager ${r.managerEmail} was not imported (line ${line})`;
    return `manager ${r.managerEmail} is not an active user and is not new in this file`;
  }
  return null;
}
