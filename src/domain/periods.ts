/**
 * Period use cases: create, list, scores, payroll report and close. Open periods are scored
 * live from the store; closed periods are read from their snapshot and never recomputed.
 */
import type { Store } from '../store/store.js';
import { audit } from './audit.js';
import { isoAt } from './deps.js';
import { ConflictError, NotFoundError, RuleViolationError } from './errors.js';
import { newId } from './ids.js';
import { buildPayrollCsv, comparePeople, type PayrollPerson } from './payroll-csv.js';
import { readSnapshotData, type SnapshotData } from './period-snapshot.js';
import type { NewPeriodInput } from './schemas/periods.schema.js';
import { nextTurn } from './next-turn.js';
import { loadRules } from './scoring-rules.js';
import { PeriodScorer, zeroResult, type ScoreLine, type ScoreResult } from './scoring.js';
import type { Period, PersonRef, ScoringRules, User } from './types.js';

/** Whose scores a caller may read: everyone, or exactly these user ids. */
export type ScoreScope = 'all' | ReadonlySet<string>;

/** One row of GET /periods/:id/scores. */
export type PersonScore = Omit<ScoreResult, 'userId'> & { user: PersonRef };

export interface PeriodScores {
  period: Period;
  /** True when read from the close snapshot. */
  frozen: boolean;
  items: PersonScore[];
  /** More people follow the page asked for. */
  more: boolean;
}

export interface PeriodReport {
  period: Period;
  frozen: boolean;
  csv: string;
  sha256: string;
}

/** hr and admin see everyone; a manager sees themself and their direct reports; others themself. */
export async function scoreScopeFor(store: Store, viewer: User): Promise<ScoreScope> {
  if (viewer.role === 'hr' || viewer.role === 'admin') return 'all';
  if (viewer.role !== 'manager') return new Set([viewer.id]);
  return new Set([viewer.id, ...(await directReportsScope(store, viewer))]);
}

/**
 * The viewer's direct reports alone, the viewer left out: a manager's "My team" asks who in the
 * team is not being recognised, and the manager's own count would skew the team's figures.
 */
export async function directReportsScope(store: Store, viewer: User): Promise<ReadonlySet<string>> {
  const users = await store.allUsers();
  return new Set(users.filter((u) => u.managerId === viewer.id).map((u) => u.id));
}

/**
 * Creates a period. 422 `period_range_invalid` unless endsAt is after startsAt; 409
 * `period_overlap` (PeriodOverlapError, from the store) when it intersects an existing period,
 * because a kudos must belong to at most one period and the allowance window must be unambiguous.
 */
export async function createPeriod(store: Store, input: NewPeriodInput, actorId: string, nowMs: number): Promise<Period> {
  if (Date.parse(input.endsAt) <= Date.parse(input.startsAt)) {
    throw new RuleViolationError('period_range_invalid', 'A period must end after it starts.', [
      { path: 'endsAt', message: 'must be after startsAt' },
    ]);
  }
  // The store checks for an overlap in the same step as it inserts (PeriodOverlapError): checked
  // here first, two requests (in one process or two) could both find the range free.
  const period = await store.createPeriod({
    id: newId(nowMs),
    name: input.name,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    createdAt: isoAt(nowMs),
  });
  await audit(clockAt(store, nowMs), actorId, 'period.create', { type: 'period', id: period.id }, { ...input });
  return period;
}

/** Newest first. */
export function listPeriods(store: Store): Promise<Period[]> {
  return store.listPeriods();
}

/** 404 `not_found` when the period does not exist. */
export async function getPeriodOrThrow(store: Store, periodId: string): Promise<Period> {
  const period = await store.getPeriod(periodId);
  if (!period) throw new NotFoundError('period');
  return period;
}

/** Where a page of scores starts: after this person in the report order (team, name, id). */
export type ScoresAfter = Pick<PersonRef, 'id' | 'name' | 'team'>;

export interface ScoresQuery {
  scope: ScoreScope;
  /**
   * Build each person's breakdown lines (default). Without them an open period costs a third as
   * much to score, and everyone's scores for a 10,000-person period are a few MB instead of the
   * ~250 MB their 1.2 million lines make, which no browser page can hold.
   */
  breakdown?: boolean;
  /** One page in report order; without it everyone in scope at once. */
  page?: { after: ScoresAfter | null; limit: number };
}

/**
 * Scores of the people in `scope` (active people only), ordered by team, name, id, each with
 * the breakdown that explains it (unless `breakdown: false`). With `page`, only that page's people
 * get breakdown lines built: every pair is still read, since a score depends on everyone's kudos.
 */
export async function getPeriodScores(store: Store, periodId: string, q: ScoresQuery): Promise<PeriodScores> {
  const period = await getPeriodOrThrow(store, periodId);
  // Picked from the people the period has results for: its snapshot's, or the active people now.
  let picked: { ids: ReadonlySet<string>; more: boolean } = { ids: new Set(), more: false };
  const choose = (candidates: readonly ScoresAfter[]) => (picked = pickPage(candidates, q)).ids;
  const withBreakdown = q.breakdown !== false;
  let data: Computed;
  if (period.status === 'closed') {
    const frozen = await frozenData(store, period);
    const people = new Map(frozen.people.map((p) => [p.id, p]));
    const ids = choose(frozen.results.flatMap((r) => people.get(r.userId) ?? []));
    data = withBreakdown && frozen.version === 2 ? await withStoredLines(store, frozen, q.scope === 'all' && !q.page ? undefined : ids) : frozen;
  } else {
    data = await computePeriod(store, period, { withBreakdown, choose });
  }
  const people = new Map(data.people.map((p) => [p.id, p]));
  const items: PersonScore[] = [];
  for (const r of data.results) {
    const p = people.get(r.userId);
    if (!p || !picked.ids.has(r.userId)) continue;
    const { userId: _id, breakdown, ...rest } = r;
    items.push({ user: { id: p.id, name: p.name, team: p.team }, ...rest, breakdown: withBreakdown ? breakdown : [] });
  }
  items.sort((a, b) => comparePeople(a.user, b.user));
  return { period, frozen: period.status === 'closed', items, more: picked.more };
}

/** A version 2 snapshot's results with the lines stored apart filled in: these people's, or everyone's. */
async function withStoredLines(store: Store, data: SnapshotData, only: ReadonlySet<string> | undefined): Promise<SnapshotData> {
  const lines = await store.periodSnapshotLines(data.period.id, only && [...only]);
  const results = data.results.map((r) => {
    const own = lines.get(r.userId);
    return Array.isArray(own) ? { ...r, breakdown: own as ScoreLine[] } : r;
  });
  return { ...data, results };
}

/** The ids of the people in scope on the requested page (all of them without one), and whether more follow. */
function pickPage(candidates: readonly ScoresAfter[], q: ScoresQuery): { ids: ReadonlySet<string>; more: boolean } {
  const inScope = q.scope === 'all' ? [...candidates] : candidates.filter((p) => (q.scope as ReadonlySet<string>).has(p.id));
  if (!q.page) return { ids: new Set(inScope.map((p) => p.id)), more: false };
  inScope.sort(comparePeople);
  const { after, limit } = q.page;
  // The cursor holds a position, not a person: the page goes on even when that person has left meanwhile.
  const found = after ? inScope.findIndex((p) => comparePeople(p, after) > 0) : 0;
  const start = found < 0 ? inScope.length : found;
  const page = inScope.slice(start, start + limit);
  return { ids: new Set(page.map((p) => p.id)), more: start + page.length < inScope.length };
}

/** A breakdown line a manager may not trace back: a private kudos between other people. */
export type HiddenScoreLine = Omit<ScoreLine, 'kudosId' | 'giverId' | 'giverName'> & { kudosId: null; giverId: null; giverName: null; private: true };
export type VisibleScores = Omit<PeriodScores, 'items'> & {
  items: Array<Omit<PersonScore, 'breakdown'> & { breakdown: Array<ScoreLine | HiddenScoreLine> }>;
};

/**
 * A manager reads their reports' scores with every line, but a private kudos is its giver's, its
 * recipients', hr's and admin's alone: its line keeps its points and behaviours (the score stays
 * explained) and loses which kudos it was and who gave it. hr and admin (scope 'all') see all.
 * A private kudos the viewer gave or received alongside the report is theirs to see: shown whole.
 */
export async function hidePrivateGivers(store: Store, viewer: User, scope: ScoreScope, scores: PeriodScores): Promise<VisibleScores> {
  if (scope === 'all') return scores;
  const others = (line: ScoreLine) => line.giverId !== viewer.id;
  const ids = scores.items.filter((i) => i.user.id !== viewer.id).flatMap((i) => i.breakdown.filter(others).map((l) => l.kudosId));
  if (ids.length === 0) return scores;
  const hidden = await store.privateKudosIds(ids);
  // Removed kudos included: a closed period's lines still name them, and who received them has not changed.
  const received = await Promise.all([...hidden].map((id) => store.getKudos(id, viewer.id)));
  for (const k of received) if (k?.recipients.some((r) => r.id === viewer.id)) hidden.delete(k.id);
  if (hidden.size === 0) return scores;
  const hide = (l: ScoreLine): ScoreLine | HiddenScoreLine =>
    hidden.has(l.kudosId) && others(l) ? { ...l, kudosId: null, giverId: null, giverName: null, private: true } : l;
  const items = scores.items.map((i) => (i.user.id === viewer.id ? i : { ...i, breakdown: i.breakdown.map(hide) }));
  return { ...scores, items };
}

/** The payroll CSV: live for an open period, the stored bytes for a closed one. */
export async function getReport(store: Store, periodId: string): Promise<PeriodReport> {
  const period = await getPeriodOrThrow(store, periodId);
  if (period.status === 'closed') {
    const snapshot = await store.getPeriodSnapshot(period.id);
    if (!snapshot) throw new Error(`closed period ${period.id} has no snapshot`);
    return { period, frozen: true, csv: snapshot.csv, sha256: snapshot.sha256 };
  }
  const { rules, people, results } = await computePeriod(store, period, { withBreakdown: false });
  return { period, frozen: false, ...buildPayrollCsv(results, people, (id) => zeroResult(id, rules)) };
}

/**
 * A request stamped just before endsAt may still be committing when the period ends; closing
 * waits this long past the end so such a kudos lands before the snapshot, never after it.
 */
export const CLOSE_GRACE_MS = 30_000;

/** Closes running in this process, by store and period: a retry waits for the close under way. */
const closing = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * Closes a period for good: 409 `period_closed` if it already is, 422 `period_not_ended` while
 * its end is still in the future (kudos are stamped with the server's clock, so once endsAt has
 * passed no new kudos can fall inside it). Stores rules, people, results and the CSV in one
 * atomic write, then audits the close.
 *
 * A close of a large period takes seconds, and a proxy that gives up meanwhile invites a retry: a
 * second close of the same period in this process waits for the first to end and then answers as
 * any later close does (409 once it is closed), instead of scoring everything a second time. Across
 * processes the store's atomic close still lets only one win.
 */
export async function closePeriod(store: Store, periodId: string, actorId: string, nowMs: number): Promise<Period> {
  const running = closing.get(store) ?? new Map<string, Promise<unknown>>();
  closing.set(store, running);
  const before = running.get(periodId);
  if (before) await before.catch(() => undefined);
  const attempt = closeNow(store, periodId, actorId, nowMs);
  running.set(periodId, attempt);
  try {
    return await attempt;
  } finally {
    if (running.get(periodId) === attempt) running.delete(periodId);
  }
}

async function closeNow(store: Store, periodId: string, actorId: string, nowMs: number): Promise<Period> {
  const period = await getPeriodOrThrow(store, periodId);
  if (period.status === 'closed') throw alreadyClosed();
  if (Date.parse(period.endsAt) + CLOSE_GRACE_MS > nowMs) {
    throw new RuleViolationError('period_not_ended', 'A period can only be closed after it has ended (and 30 seconds have passed).', [
      { path: 'endsAt', message: `ends at ${period.endsAt}` },
    ]);
  }
  const { rules, people, results } = await computePeriod(store, period, { withBreakdown: true });
  const { csv, sha256 } = buildPayrollCsv(results, people, (id) => zeroResult(id, rules));
  const data: SnapshotData = {
    version: 2,
    period: { id: period.id, name: period.name, startsAt: period.startsAt, endsAt: period.endsAt },
    rules,
    people,
    results: results.map((r) => ({ ...r, breakdown: [] })),
  };
  const lines = results.filter((r) => r.breakdown.length > 0).map((r) => ({ userId: r.userId, lines: r.breakdown }));
  const closedAt = isoAt(nowMs);
  const closed = await store.closePeriod({ periodId: period.id, closedAt, closedBy: actorId, data, csv, sha256 }, lines);
  // Another close won the race between our read and our write.
  if (!closed) throw alreadyClosed();
  await audit(clockAt(store, nowMs), actorId, 'period.close', { type: 'period', id: period.id }, { sha256 });
  return { ...period, status: 'closed', closedAt, closedBy: actorId };
}

function alreadyClosed(): ConflictError {
  return new ConflictError('status', 'This period is already closed.', 'period_closed');
}

function clockAt(store: Store, nowMs: number) {
  return { store, clock: { now: () => nowMs } };
}

/** Every user as the report knows them; manager emails resolved through the same list. */
export function toPayrollPeople(users: readonly User[]): PayrollPerson[] {
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    team: u.team,
    managerEmail: u.managerId === null ? null : (emails.get(u.managerId) ?? null),
    active: u.active,
  }));
}

interface Computed {
  rules: ScoringRules;
  people: PayrollPerson[];
  /** One per active person (of those `choose` picked, if given), zero results included. */
  results: ScoreResult[];
}

/** Streams the period's pair batches into the scorer, so they are never all held as objects. */
async function computePeriod(
  store: Store,
  period: Period,
  opts: { withBreakdown: boolean; choose?: (active: readonly PayrollPerson[]) => ReadonlySet<string> },
): Promise<Computed> {
  // Pairs are asked for first: the sqlite store reads them on threads that take a few hundred
  // ms to start, and the rules and people load meanwhile.
  const batches = store.periodPairBatches(period.startsAt, period.endsAt)[Symbol.asyncIterator]();
  try {
    const first = batches.next();
    // Awaited below; until then a failed read must not count as an unhandled rejection.
    first.catch(() => undefined);
    const [rules, users] = await Promise.all([loadRules(store), store.allUsers()]);
    const scorer = new PeriodScorer(rules);
    for (let r = await first; !r.done; r = await batches.next()) scorer.addBatch(r.value);
    const people = toPayrollPeople(users);
    const active = people.filter((p) => p.active);
    const only = opts.choose?.(active);
    // Every user, inactive ones included: a giver who has left still gets their name on a line.
    // At close these names are frozen into the snapshot with the lines.
    const names = new Map(users.map((u) => [u.id, u.name]));
    const scoreOpts = { withBreakdown: opts.withBreakdown, only, giverName: (id: string) => names.get(id) ?? null };
    // Lines for everyone take seconds to build (a close of 10,000 people: ~6 s): let the process serve meanwhile.
    const scored = new Map((opts.withBreakdown ? await scorer.finishInSlices(scoreOpts, nextTurn) : scorer.finish(scoreOpts)).map((r) => [r.userId, r]));
    const results = active.filter((p) => !only || only.has(p.id)).map((p) => scored.get(p.id) ?? zeroResult(p.id, rules));
    return { rules, people, results };
  } finally {
    // Stops the reading when something above failed; a no-op once the pairs are all read.
    await batches.return?.(undefined);
  }
}


async function frozenData(store: Store, period: Period): Promise<SnapshotData> {
  const snapshot = await store.getPeriodSnapshot(period.id);
  if (!snapshot) throw new Error(`closed period ${period.id} has no snapshot`);
  return readSnapshotData(snapshot);
}
