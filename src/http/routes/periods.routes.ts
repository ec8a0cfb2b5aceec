import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { cursorTag } from '../../domain/cursor-tag.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { periodInsights } from '../../domain/insights.js';
import { closePeriod, createPeriod, directReportsScope, getPeriodOrThrow, getPeriodScores, getReport, hidePrivateGivers, listPeriods, scoreScopeFor } from '../../domain/periods.js';
import { cursorSchema, idParams, idSchema, listQuery } from '../../domain/schemas/common.schema.js';
import { newPeriodSchema } from '../../domain/schemas/periods.schema.js';
import { loadRules, scoringRulesSchema, updateRules } from '../../domain/scoring-rules.js';
import type { Cursor } from '../../domain/types.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { newestFirstPage } from '../list-page.js';
import { pageOf, periodScoresView, periodView } from '../response.schema.js';
import { defineRoute, userOf } from '../route.js';

const HR = ['hr', 'admin'] as const;
const scoresQuery = z.strictObject({
  user: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: cursorSchema,
  breakdown: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'false: the figures without the per-kudos lines (breakdown: [])' }),
});

/**
 * `scope=reports` narrows insights to the caller's direct reports (a manager's "My team"); without
 * it, the caller's whole score scope as before. Not strict: this route took no query before, and
 * a request that sent something else must keep its answer.
 */
const insightsQuery = z.object({ scope: z.enum(['reports']).optional() });

/** An untagged scores cursor (from before cursors named their list) holds a JSON [team, name]. */
const scoresPosition = (c: Cursor) => c.key.startsWith('[');

/** The (team, name, id) position a scores cursor holds. */
function scoresAfter(c: Cursor | null): { team: string; name: string; id: string } | null {
  if (!c) return null;
  let v: unknown;
  try {
    v = JSON.parse(c.key);
  } catch {
    v = null;
  }
  if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'string' || typeof v[1] !== 'string') {
    throw new ValidationError('The cursor is not valid.', [{ path: 'cursor', message: 'not a cursor of this list' }], 'invalid_cursor');
  }
  return { team: v[0], name: v[1], id: c.id };
}

export function periodRoutes(ctx: AppContext, r: ApiRouter): void {
  const { store, clock } = ctx.deps;

  defineRoute(r, { method: 'get', path: '/periods', summary: 'Bonus periods, newest first', tag: 'periods', access: 'user', query: listQuery, response: pageOf(periodView, 'Period page') }, async ({ query }) =>
    newestFirstPage(await listPeriods(store), query, cursorTag('periods'), (p) => ({ key: p.startsAt, id: p.id })),
  );

  defineRoute(r, { method: 'post', path: '/periods', summary: 'Create a period (no overlaps)', tag: 'periods', access: HR, body: newPeriodSchema, response: periodView, status: 201 }, async ({ principal, body }) =>
    createPeriod(store, body, userOf(principal).id, clock.now()),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id', summary: 'One period', tag: 'periods', access: 'user', params: idParams, response: periodView }, async ({ params }) =>
    getPeriodOrThrow(store, params.id),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id/scores', summary: 'Explainable scores (hr: all, manager: reports, employee: self); optional user filter, paging, and breakdown=false for the figures alone', tag: 'periods', access: 'user', params: idParams, query: scoresQuery, response: periodScoresView }, async ({ principal, params, query }) => {
    const viewer = userOf(principal);
    const allowed = await scoreScopeFor(store, viewer);
    let scope = allowed;
    if (query.user) {
      if (allowed !== 'all' && !allowed.has(query.user)) throw new NotFoundError('user');
      scope = new Set([query.user]);
    }
    // Without `limit` everyone in scope comes back at once (the original contract); with it,
    // pages follow the report order (team, name, id) and the cursor holds the last person's position.
    // The cursor is tied to the period: the same position means other people in another period's report.
    const tag = cursorTag('scores', [params.id]);
    const page = query.limit === undefined ? undefined : { after: scoresAfter(decodeCursor(query.cursor, tag, scoresPosition)), limit: query.limit };
    const scores = await hidePrivateGivers(store, viewer, allowed, await getPeriodScores(store, params.id, { scope, breakdown: query.breakdown, page }));
    if (query.user && scores.items.length === 0) throw new NotFoundError('user');
    const { more, ...rest } = scores;
    const last = scores.items.at(-1);
    return { ...rest, nextCursor: more && last ? encodeCursor({ key: JSON.stringify([last.user.team, last.user.name]), id: last.user.id }, tag) : null };
  });

  defineRoute(r, { method: 'get', path: '/periods/:id/report.csv', summary: 'Payroll CSV (frozen once the period is closed)', tag: 'periods', access: HR, params: idParams, produces: 'text/csv' }, async ({ params, res }) => {
    const report = await getReport(store, params.id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachmentNamed(report.period.name));
    res.setHeader('X-Content-SHA256', report.sha256);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).send(Buffer.from(report.csv, 'utf8'));
    return undefined;
  });

  defineRoute(r, { method: 'post', path: '/periods/:id/close', summary: 'Close a period and freeze its results for good', tag: 'periods', access: HR, params: idParams, response: periodView }, async ({ principal, params }) =>
    closePeriod(store, params.id, userOf(principal).id, clock.now()),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id/insights', summary: 'Where recognition is thin (hr; managers for their team)', tag: 'periods', access: ['manager', 'hr', 'admin'], params: idParams, query: insightsQuery }, async ({ principal, params, query }) => {
    const viewer = userOf(principal);
    if (viewer.role === 'employee') throw new ForbiddenError();
    const period = await getPeriodOrThrow(store, params.id);
    return periodInsights(store, period, query.scope === 'reports' ? await directReportsScope(store, viewer) : await scoreScopeFor(store, viewer));
  });

  defineRoute(r, { method: 'get', path: '/scoring-rules', summary: 'Scoring rules in force', tag: 'periods', access: 'user' }, async () => loadRules(store));

  defineRoute(r, { method: 'put', path: '/scoring-rules', summary: 'Replace the scoring rules (audited)', tag: 'periods', access: HR, body: scoringRulesSchema }, async ({ principal, body }) =>
    updateRules(store, body, userOf(principal).id, clock.now()),
  );
}

/**
 * "shine-<period>.csv": letters of any script kept in the UTF-8 `filename*` (RFC 6266), with their
 * accents dropped in the plain `filename` older clients read; anything else becomes one hyphen.
 */
function attachmentNamed(period: string): string {
  const safe = (s: string) => s.replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'period';
  const name = safe(period.replace(/[^\p{L}\p{N}.]+/gu, '-'));
  const ascii = safe(period.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/[^A-Za-z0-9.]+/g, '-'));
  return `attachment; filename="shine-${ascii}.csv"; filename*=UTF-8''${encodeURIComponent(`shine-${name}.csv`)}`;
}
