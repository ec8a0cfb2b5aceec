import { Router } from 'express';
import { ForbiddenError } from '../../domain/errors.js';
import { periodInsights } from '../../domain/insights.js';
import { closePeriod, createPeriod, getPeriodOrThrow, getPeriodScores, getReport, listPeriods, scoreScopeFor } from '../../domain/periods.js';
import { idParams } from '../../domain/schemas/common.schema.js';
import { newPeriodSchema } from '../../domain/schemas/periods.schema.js';
import { loadRules, scoringRulesSchema, updateRules } from '../../domain/scoring-rules.js';
import type { AppContext } from '../context.js';
import { defineRoute, userOf } from '../route.js';

const HR = ['hr', 'admin'] as const;

export function periodRoutes(ctx: AppContext): Router {
  const r = Router();
  const { store, clock } = ctx.deps;

  defineRoute(r, { method: 'get', path: '/periods', summary: 'Bonus periods, newest first', tag: 'periods', access: 'user' }, async () => ({
    items: await listPeriods(store),
  }));

  defineRoute(r, { method: 'post', path: '/periods', summary: 'Create a period (no overlaps)', tag: 'periods', access: HR, body: newPeriodSchema, status: 201 }, async ({ principal, body }) =>
    createPeriod(store, body, userOf(principal).id, clock.now()),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id', summary: 'One period', tag: 'periods', access: 'user', params: idParams }, async ({ params }) =>
    getPeriodOrThrow(store, params.id),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id/scores', summary: 'Explainable scores (hr: all, manager: reports, employee: self)', tag: 'periods', access: 'user', params: idParams }, async ({ principal, params }) => {
    const viewer = userOf(principal);
    return getPeriodScores(store, params.id, await scoreScopeFor(store, viewer));
  });

  defineRoute(r, { method: 'get', path: '/periods/:id/report.csv', summary: 'Payroll CSV (frozen once the period is closed)', tag: 'periods', access: HR, params: idParams, produces: 'text/csv' }, async ({ params, res }) => {
    const report = await getReport(store, params.id);
    const name = report.period.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'period';
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="shine-${name}.csv"`);
    res.setHeader('X-Content-SHA256', report.sha256);
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).send(Buffer.from(report.csv, 'utf8'));
    return undefined;
  });

  defineRoute(r, { method: 'post', path: '/periods/:id/close', summary: 'Close a period and freeze its results for good', tag: 'periods', access: HR, params: idParams }, async ({ principal, params }) =>
    closePeriod(store, params.id, userOf(principal).id, clock.now()),
  );

  defineRoute(r, { method: 'get', path: '/periods/:id/insights', summary: 'Where recognition is thin (hr; managers for their team)', tag: 'periods', access: ['manager', 'hr', 'admin'], params: idParams }, async ({ principal, params }) => {
    const viewer = userOf(principal);
    if (viewer.role === 'employee') throw new ForbiddenError();
    const period = await getPeriodOrThrow(store, params.id);
    return periodInsights(store, period, await scoreScopeFor(store, viewer));
  });

  defineRoute(r, { method: 'get', path: '/scoring-rules', summary: 'Scoring rules in force', tag: 'periods', access: 'user' }, async () => loadRules(store));

  defineRoute(r, { method: 'put', path: '/scoring-rules', summary: 'Replace the scoring rules (audited)', tag: 'periods', access: HR, body: scoringRulesSchema }, async ({ principal, body }) =>
    updateRules(store, body, userOf(principal).id, clock.now()),
  );
  return r;
}
