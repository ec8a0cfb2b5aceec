import type { RequestHandler } from 'express';
import { z } from 'zod';
import { errorBody } from './response.schema.js';
import { routeRegistry, type RouteSpec } from './route.js';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  [k: string]: unknown;
}

const API_PREFIX = '/api/v1';
const ERROR_REF = { $ref: '#/components/schemas/Error' };
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Signing in',
  people: 'People and the directory',
  behaviours: 'The behaviour catalog',
  kudos: 'Kudos, reactions and comments',
  insight: 'Leaderboards and summaries',
  periods: 'Periods, scores, payroll reports and scoring rules',
  displays: 'TV displays',
  audit: 'Audit log',
  health: 'Probes and monitoring',
  meta: 'This document',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Express `/kudos/:id` → OpenAPI `/kudos/{id}`. */
export function openApiPath(expressPath: string): string {
  return API_PREFIX + expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function operationId(spec: RouteSpec): string {
  const words = spec.path.split('/').filter(Boolean).map((w) => (w.startsWith(':') ? `By${w.slice(1)}` : w));
  return spec.method + words.map((w) => w.replace(/(^|[-_.])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase())).join('');
}

function accessText(spec: RouteSpec): string {
  if (spec.access === 'public') return 'Public: no token needed.';
  if (spec.access === 'user') return 'Any signed-in user.';
  if (spec.access === 'display-or-user') return 'Any signed-in user, or a display token.';
  return `Roles: ${spec.access.join(', ')}.`;
}

function security(spec: RouteSpec): Record<string, string[]>[] {
  if (spec.access === 'public') return [];
  if (spec.access === 'display-or-user') return [{ bearerAuth: [] }, { displayToken: [] }];
  return [{ bearerAuth: [] }];
}

/** Each property of a params/query object schema becomes one parameter. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Operation[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, propSchema]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: propSchema,
  }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ERROR_REF } } });

function responses(spec: RouteSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.produces) {
    out[String(spec.status ?? 200)] = { description: 'Success', content: { [spec.produces]: { schema: { type: 'string' } } } };
  } else if (spec.response) {
    out[String(spec.status ?? 200)] = { description: 'Success', content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } };
  } else if (spec.method === 'delete' && spec.status === undefined) {
    out['204'] = { description: 'Done; no body' };
  } else {
    out[String(spec.status ?? 200)] = { description: 'Success (body not described yet)' };
  }
  const input = spec.body !== undefined || spec.query !== undefined || spec.params !== undefined;
  if (input) out['400'] = errorResponse('Malformed request: shape, types or unknown fields');
  out['401'] = errorResponse('No, invalid or expired token');
  if (spec.access !== 'public') out['403'] = errorResponse('Not allowed for this caller');
  if (spec.params) out['404'] = errorResponse('Absent, or not visible to the caller');
  if (spec.body) out['413'] = errorResponse('Body too large');
  out['503'] = errorResponse('Storage unavailable');
  out.default = errorResponse('Any other error (409 conflict, 422 rule violation, 429 rate limited)');
  return out;
}

/** As src/http/idempotency.ts does: every write by a signed-in user, whatever the route. */
function honoursIdempotencyKey(spec: RouteSpec): boolean {
  return spec.method !== 'get' && spec.access !== 'public';
}

function operation(spec: RouteSpec): Operation {
  const params = [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')];
  if (honoursIdempotencyKey(spec)) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: spec.credentials
        ? 'A retry with the same key writes nothing new and answers 409 idempotency_answer_withheld: the first answer held a credential, which is not kept. The same key with another route, object or body is 422 idempotency_key_reused.'
        : spec.keyInWrite
          ? 'A retry with the same key returns the first answer and writes nothing new, even across a crash or when retries race; the same key with another kudos is 422 idempotency_key_reused.'
          : 'A retry with the same key returns the first answer and writes nothing new (409 idempotency_key_in_progress while the first is still running); the same key with another route, object or body is 422 idempotency_key_reused.',
      schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,200}$' },
    });
  }
  const op: Operation = {
    operationId: operationId(spec),
    tags: [spec.tag],
    summary: spec.summary,
    description: accessText(spec),
    'x-access': spec.access,
    security: security(spec),
    responses: responses(spec),
  };
  if (params.length > 0) op.parameters = params;
  if (spec.rawBody) {
    op.requestBody = { required: true, content: { [spec.rawBody]: { schema: { type: 'string' } } } };
  } else if (spec.body) {
    const schema = jsonSchema(spec.body, 'input');
    const required = Array.isArray(schema.required) && schema.required.length > 0;
    op.requestBody = { required, content: { 'application/json': { schema } } };
  }
  return op;
}

const statusBody = (extra: JsonSchema = {}) => ({
  type: 'object',
  properties: { status: { const: 'ok' }, ...extra },
  required: ['status', ...Object.keys(extra)],
  additionalProperties: false,
});

/** Endpoints that are not defineRoute()s: probes, metrics and this document. */
function handWritten(): Record<string, Record<string, Operation>> {
  const probe = (summary: string, extra?: JsonSchema): Operation => ({
    tags: ['health'],
    summary,
    description: 'Public: no token needed.',
    security: [],
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: statusBody(extra) } } },
      ...(extra ? { '503': errorResponse('Storage unreachable') } : {}),
    },
  });
  const out: Record<string, Record<string, Operation>> = {};
  for (const prefix of ['', API_PREFIX]) {
    out[`${prefix}/healthz`] = { get: { ...probe('Liveness: the process is up'), operationId: `getHealthz${prefix ? 'Api' : ''}` } };
    out[`${prefix}/readyz`] = { get: { ...probe('Readiness: storage is reachable and the process is not stopping', { store: { type: 'string' } }), operationId: `getReadyz${prefix ? 'Api' : ''}` } };
  }
  out['/metrics'] = {
    get: {
      operationId: 'getMetrics',
      tags: ['health'],
      summary: 'Prometheus metrics (text exposition format)',
      description:
        'With SHINE_METRICS_PORT: served only on that separate listener. Else with SHINE_METRICS_TOKEN: requires ' +
        '"Authorization: Bearer <metrics token>". Else: loopback callers only; everyone else gets 404.',
      security: [{ metricsToken: [] }, {}],
      responses: {
        '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': errorResponse('Metrics token missing or wrong'),
        '404': errorResponse('Not served to this caller'),
      },
    },
  };
  out[`${API_PREFIX}/openapi.json`] = {
    get: {
      operationId: 'getOpenApi',
      tags: ['meta'],
      summary: 'This OpenAPI 3.1 document, generated from the route registry',
      description: 'Public: no token needed.',
      security: [],
      responses: { '200': { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  return out;
}

/**
 * Builds the OpenAPI 3.1 document from the route registry, so validation and documentation
 * cannot drift apart. The registry gains a copy of every route per app built in a process
 * (tests build many); the first registration of a method+path wins.
 */
export function buildOpenApi(routes: readonly RouteSpec[]): OpenApiDocument {
  const paths = handWritten();
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    const item = (paths[path] ??= {});
    item[spec.method] ??= operation(spec);
  }
  const tags = [...new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags as string[])))];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shine API',
      version: '1',
      description: 'Peer recognition: kudos, behaviours, periods and bonus eligibility. Errors share one shape (components.schemas.Error).',
    },
    servers: [{ url: '/' }],
    tags: tags.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] ?? name })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'User token from POST /api/v1/auth/login.' },
        displayToken: { type: 'http', scheme: 'bearer', description: 'Display token (shd_...) from POST /api/v1/displays; read-only feed.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'SHINE_METRICS_TOKEN, when configured.' },
      },
      schemas: { Error: jsonSchema(errorBody, 'output') },
    },
  };
}

/** GET /api/v1/openapi.json: generated on first request (every route is registered by then). */
export function openApiHandler(): RequestHandler {
  let cached: { size: number; text: string } | null = null;
  return (_req, res) => {
    if (!cached || cached.size !== routeRegistry.length) cached = { size: routeRegistry.length, text: JSON.stringify(buildOpenApi(routeRegistry)) };
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(cached.text);
  };
}
