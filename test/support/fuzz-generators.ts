import fc from 'fast-check';
import { z } from 'zod';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { RouteSpec } from '../../src/http/route.js';

/**
 * fast-check generators for HTTP fuzzing, shared by test/http/fuzz.test.ts and scripts/fuzz.ts.
 * `hostileRequest` only builds requests that must be rejected if they would write: bodies are
 * malformed, of the wrong type, or carry a key no (strict) schema accepts, and ids in write paths
 * are never real. `validWrite` builds requests that may succeed.
 */

export interface FuzzRequest {
  method: string;
  /** Raw request target, sent as is (no URL normalisation, so `..` and `%00` reach the server). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The route pattern this request was built from, for the summary. */
  route: string;
}

export interface FuzzContext {
  routes: readonly RouteSpec[];
  tokens: { admin: string; employee: string; display: string; expired: string; wrongSecret: string; staleVersion: string };
  /** Real ids, used only in reads and valid writes. */
  ids: { kudos: string[]; users: string[]; behaviours: string[] };
  bodyLimit: number;
}

const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);
const POISON_KEYS = ['__proto__', 'constructor', 'prototype', '$gt', '$where', '$ne', 'toString', 'hasOwnProperty', '\u0000', '\u202Ename', 'zero\u200Dwidth', ''];
const OPERATORS = [{ $gt: '' }, { $where: '1' }, { $ne: null }, { $regex: '.*' }, { __proto__: { admin: true } }];
const ODD_NUMBERS = ['1e308', '-1e308', '1e309', '-0', '0.0000001', '9007199254740993', '-9007199254740993', '1E400', '0x10', '1_000'];
const MALFORMED = ['{', '}', '{"a":', '[1,]', "{'a':1}", 'nul', 'NaN', 'Infinity', '{"a":1}{"b":2}', '{"a":1,}', '"\\ud800', '{"a":"\\x41"}', '\u0000', '{"a" 1}', '[', '"', '\\', '{"a":"\t"}', '01', '.5', '+1', '{"a":1e}'];

/** Path segments that must be rejected or simply not found. */
export const oddSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('..', '.', '%2e%2e', '%2E%2E%2F%2E%2E', '%00', 'a%00b', '%2F', '%5C', '__proto__', 'constructor', 'prototype', 'toString',
    '%ED%A0%80', '%FF%FE', '%', '%zz', '%E2%80%AE', '%E2%80%8D', '%F0%9F%91%8F', 'null', 'undefined', '-1', '1e308', 'NaN',
    '%24where', '%7B%22%24gt%22%3A%22%22%7D', 'nonexistent-id', 'a'.repeat(65), '~', '%20', '%0A', 'CON', '*'),
  fc.integer({ min: 100, max: 6000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
);

const oddQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_NUMBERS, 'NaN', 'Infinity', '', '101', '0', 'true', '[object%20Object]', '%00', '%E0%A4%A', '%ED%A0%80', '%', 'a&b=c'),
  fc.constantFrom('WyJhIl0', 'eyJfX3Byb3RvX18iOjF9', 'W251bGwsbnVsbF0', '!!!', 'W10'), // cursors: ["a"], {"__proto__":1}, [null,null], junk, []
  fc.integer({ min: 1, max: 3000 }).map((n) => 'q'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => encodeURIComponent(s)),
);

const cursorOf = (pair: unknown) => Buffer.from(JSON.stringify(pair), 'utf8').toString('base64url');
const ISO_EXTREMES = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00%2B14:00', '2026-01-01T00:00:00-23:59', '2024-02-29T12:00:00Z', '2026-02-29T00:00:00Z'];
/** Values that pass validation for a known query key, but are odd: reach the store with them. */
const PLAUSIBLE: Record<string, string[]> = {
  since: ISO_EXTREMES, until: ISO_EXTREMES, from: ISO_EXTREMES, to: ISO_EXTREMES,
  limit: ['1', '100', '099'],
  cursor: [cursorOf(['\u0000', 'x']), cursorOf(['', '']), cursorOf(['9999', '~']), cursorOf(["'; DROP TABLE users;--", 'x']), cursorOf(['\ud800', '\udfff'])],
  q: ['%25', '_', '%5C', "'", '%22', '%EF%AC%81', '%C4%B0', 'a'.repeat(120), '%25%25_'],
  team: ['%25', '_', 'Support', '%E2%80%AESupport', 'constructor'],
  recipient: ['constructor', '__proto__', 'zzz'], giver: ['toString', 'zzz'],
  behaviour: ['constructor', 'prototype', 'empathize'],
  by: ['team', 'giver', 'recipient'], period: ['constructor', 'zzz'], includeInactive: ['true', 'false'],
};

function queryString(keys: string[]): fc.Arbitrary<string> {
  const key = fc.constantFrom(...keys, '__proto__', 'constructor', '$gt', 'limit', 'cursor', 'hasOwnProperty', 'a[b]', '');
  const odd = fc.array(fc.tuple(key, oddQueryValue), { maxLength: 4 });
  const plausibleKeys = keys.filter((k) => PLAUSIBLE[k]);
  const plausible = plausibleKeys.length === 0 ? odd : fc.uniqueArray(fc.constantFrom(...plausibleKeys), { maxLength: 4 }).chain((ks) =>
    fc.tuple(...ks.map((k) => fc.constantFrom(...(PLAUSIBLE[k] as string[])).map((v): [string, string] => [k, v]))));
  return fc.oneof(odd, plausible).map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${k}=${v}`).join('&') : ''));
}

/** JSON Schema of an input zod schema, or null when it cannot be represented. */
function inputSchema(schema: z.ZodType | undefined): Record<string, unknown> | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const jsonValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, 'NaN', '-0', '1e308', '', ' ', '\u202E\u200D\u0000\uFEFF'),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(...OPERATORS),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'name', 'message', '$gt', '__proto__'), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** JSON text for an object; built by hand so `__proto__` stays a key and duplicates survive. */
function objectText(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

function badBody(route: RouteSpec, limit: number): fc.Arbitrary<{ text: Buffer; contentType: string | null }> {
  const schema = inputSchema(route.body);
  const fields = Object.keys((schema?.properties as Record<string, unknown> | undefined) ?? {});
  // A poison key is a guaranteed rejection only where unknown keys are refused.
  const strict = schema?.additionalProperties === false;
  const wrongObject = fc
    .tuple(fc.array(fc.tuple(fc.constantFrom(...fields, 'a'), jsonValue), { maxLength: 6 }), fc.constantFrom(...POISON_KEYS), jsonValue)
    .map(([entries, poison, v]) => objectText([...entries, [poison, v]]));
  const nonObject = fc.oneof(
    fc.constantFrom(...MALFORMED),
    fc.constantFrom(...ODD_NUMBERS, '"text"', 'true', 'null', '[]', '[{}]', '"\\ud800"', '"\\udc00\\u0000"'),
    fc.constantFrom(100, 5000, 30_000).map((n) => '['.repeat(n) + ']'.repeat(n)),
    fc.constantFrom(100, 5000).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
  const huge = fc.constantFrom(-300, -40, 1, 5000).map((delta) => {
    const filler = 'x'.repeat(Math.max(1, limit + delta - 40));
    return strict ? objectText([['message', filler], ['$where', '1']]) : JSON.stringify([filler, { $where: '1' }]);
  });
  const json = fc.oneof(...(strict ? [wrongObject, wrongObject] : []), nonObject, huge);
  const contentType = fc.constantFrom<string | null>('application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16',
    'APPLICATION/JSON', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/csv', 'application/vnd.api+json', null);
  const bytes = fc.constantFrom(Buffer.from([0xc0, 0x80]), Buffer.from([0xff, 0xfe, 0x7b, 0x00]), Buffer.from('\ufeff{"a":1}'), Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
  return fc.oneof(
    fc.tuple(json, contentType).map(([t, ct]) => ({ text: Buffer.from(t), contentType: ct })),
    fc.tuple(bytes, contentType).map(([b, ct]) => ({ text: b, contentType: ct })),
    // CSV import: never a header the importer accepts.
    fc.constantFrom('', 'name,email\nA,a@b.c', 'a,b,c\n1,2,3', '"unterminated', 'name,email,team,extra\nA,a@b.c,T,x', '\u0000').map((t) => ({ text: Buffer.from(t), contentType: 'text/csv' })),
  );
}

function authHeader(ctx: FuzzContext): fc.Arbitrary<string | null> {
  const t = ctx.tokens;
  return fc.oneof(
    fc.constantFrom(`Bearer ${t.admin}`, `Bearer ${t.admin}`, `Bearer ${t.employee}`, `Bearer ${t.employee}`, `Bearer ${t.display}`),
    fc.constantFrom(null, `Bearer ${t.expired}`, `Bearer ${t.wrongSecret}`, `Bearer ${t.staleVersion}`, 'Bearer', 'Bearer ', `Bearer  ${t.admin}`,
      `bearer ${t.admin}`, `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Bearer shd_not-a-display', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      `Bearer ${t.admin.slice(0, -3)}abc`, `Bearer ${'a'.repeat(8000)}`, 'Bearer \u00ff\u00fe'),
  );
}

function extraHeaders(): fc.Arbitrary<Record<string, string>> {
  return fc.record(
    {
      'idempotency-key': fc.oneof(fc.constantFrom('k', ' ', 'a'.repeat(201), '\u00e9t\u00e9', '__proto__'), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).filter((s) => /^[\x20-\x7e]+$/.test(s))),
      'x-request-id': fc.constantFrom('../../etc', 'a'.repeat(300), '%00', '__proto__'),
      'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'identity'),
      'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1, 10.0.0.1', 'garbage'),
      accept: fc.constantFrom('text/html', '*/*', 'application/xml'),
    },
    { requiredKeys: [] },
  );
}

function fillPath(route: RouteSpec, segment: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  return fc.tuple(fc.array(segment, { minLength: names.length, maxLength: names.length }), fc.constantFrom('', '', '', '/', '//', '/..', '?', '#x'))
    .map(([values, tail]) => {
      let i = 0;
      return `/api/v1${route.path.replace(/:([A-Za-z0-9_]+)/g, () => values[i++] ?? '')}${tail}`;
    });
}

/** Valid bodies for writes addressed by id: with an id that does not exist they must still 404. */
const PLAUSIBLE_BODIES: Record<string, unknown> = {
  '/kudos/:id': { reason: 'fuzz' },
  '/kudos/:id/comments': { message: 'fuzz' },
  '/kudos/:id/reactions': { emoji: '👏' },
  '/users/:id': { name: 'Fuzz Name', active: false },
  '/behaviours/:key': { name: 'Fuzz', active: false },
  '/periods/:id/close': {},
  '/displays/:id': {},
};

const METHOD_SWAPS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'PURGE'];
/** Rejected by every object schema and by the CSV route (wrong content type): a safe default body. */
const ALWAYS_REJECTED = Buffer.from('[{"$where":"1"}]');

const DECODERS: Record<string, (b: Buffer) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/** True when `body`, decoded as `encoding` says, is a valid stream of zero bytes. */
function decodesToNothing(body: Buffer, encoding: string | undefined): boolean {
  const decode = encoding ? DECODERS[encoding] : undefined;
  if (!decode) return false;
  try {
    return decode(body).length === 0;
  } catch {
    return false;
  }
}

/** One request that must not write anything: any route, hostile everything. */
export function hostileRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const readSegment = fc.oneof(oddSegment, fc.constantFrom(...ctx.ids.kudos, ...ctx.ids.users, ...ctx.ids.behaviours));
  const perRoute = ctx.routes.map((route) => {
    const query = queryString(Object.keys((inputSchema(route.query)?.properties as Record<string, unknown> | undefined) ?? {}));
    const method = fc.oneof({ weight: 6, arbitrary: fc.constant(route.method.toUpperCase()) }, { weight: 1, arbitrary: fc.constantFrom(...METHOD_SWAPS) });
    return method.chain((m) => {
      const write = WRITE_METHODS.has(m.toLowerCase());
      // Real ids only where nothing can be written; writes go to ids that do not exist.
      const path = fc.tuple(fillPath(route, write ? oddSegment : readSegment), query).map(([p, q]) => (p.includes('?') ? p : p + q));
      // Writes to ids that do not exist sometimes carry a valid body, so they reach the handler.
      const plausible = write && route.path.includes(':') && m === route.method.toUpperCase() ? PLAUSIBLE_BODIES[route.path] : undefined;
      const bad = fc.option(badBody(route, ctx.bodyLimit), { freq: write ? 8 : 2 });
      const body = plausible ? fc.oneof(bad, fc.constant({ text: Buffer.from(JSON.stringify(plausible)), contentType: 'application/json' })) : bad;
      return fc.record({ path, body, auth: authHeader(ctx), extra: extraHeaders() }).map(({ path: p, body: b, auth, extra }): FuzzRequest => {
        const headers: Record<string, string> = { ...extra };
        if (auth !== null) headers.authorization = auth;
        let payload = b?.text;
        if (b?.contentType) headers['content-type'] = b.contentType;
        if (!b && write) {
          payload = ALWAYS_REJECTED;
          headers['content-type'] = 'application/json';
        }
        // Some garbage is a valid compressed stream of nothing ("9007199254740993" is, in brotli):
        // an empty body, which a route without required fields rightly accepts. Keep it hostile.
        if (payload && decodesToNothing(payload, headers['content-encoding'])) headers['content-encoding'] = 'x-unknown';
        const bodiless = m === 'GET' || m === 'HEAD';
        return { method: m, path: p, headers, body: bodiless ? undefined : payload, route: `${route.method.toUpperCase()} ${route.path}` };
      });
    });
  });
  return fc.oneof(...perRoute);
}

const EMOJI = ['👏', '🎉', '❤️', '🙌', '🔥', '⭐', '💯', '🚀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '#️⃣'];
/** Messages that are valid but unusual: RTL marks, joiners, emoji, combining marks, long. */
const oddMessage = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0 && !/\p{Cc}/u.test(s)),
  fc.constantFrom('\u202Eevil\u202C thanks', 'zero\u200Dwidth\u200B joiner', 'e\u0301\u0301\u0301', '👨‍👩‍👧‍👦 team effort', 'שלום thanks', 'x'.repeat(1000), '  padded  ', '$where __proto__ constructor'),
);

/** Requests that may legitimately write: valid shapes with odd but acceptable content. */
export function validWrite(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const token = fc.constantFrom(ctx.tokens.admin, ctx.tokens.employee);
  const kudosId = fc.constantFrom(...ctx.ids.kudos);
  const idemKey = fc.option(fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c'), { freq: 4 });
  const json = (method: string, route: string, path: string, auth: string, body: unknown, key: string | null = null): FuzzRequest => ({
    method,
    path,
    route,
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: Buffer.from(JSON.stringify(body)),
  });
  const kudos = fc
    .record({
      auth: token,
      recipientIds: fc.uniqueArray(fc.constantFrom(...ctx.ids.users), { minLength: 1, maxLength: 3 }),
      behaviourKeys: fc.uniqueArray(fc.constantFrom(...ctx.ids.behaviours), { minLength: 1, maxLength: 3 }),
      message: oddMessage,
      visibility: fc.constantFrom('public', 'private'),
      key: idemKey,
    })
    .map(({ auth, key, ...body }) => json('POST', 'POST /kudos', '/api/v1/kudos', auth, body, key));
  const reaction = fc.tuple(token, kudosId, fc.constantFrom(...EMOJI), fc.boolean()).map(([auth, id, emoji, on]) =>
    on
      ? json('POST', 'POST /kudos/:id/reactions', `/api/v1/kudos/${id}/reactions`, auth, { emoji })
      : { method: 'DELETE', path: `/api/v1/kudos/${id}/reactions/${encodeURIComponent(emoji)}`, route: 'DELETE /kudos/:id/reactions/:emoji', headers: { authorization: `Bearer ${auth}` } },
  );
  const comment = fc.tuple(token, kudosId, oddMessage.map((m) => m.slice(0, 500)), idemKey).map(([auth, id, message, key]) =>
    json('POST', 'POST /kudos/:id/comments', `/api/v1/kudos/${id}/comments`, auth, { message }, key),
  );
  const user = fc
    .record({ n: fc.integer({ min: 0, max: 2 ** 31 }), name: oddMessage.map((m) => m.slice(0, 120)), team: fc.constantFrom('Support', 'Sales', 'שירות', 'Équipe 🚀') })
    .map(({ n, name, team }) => json('POST', 'POST /users', '/api/v1/users', ctx.tokens.admin, { name, team, email: `fuzz-${n}@shine.test` }));
  const behaviour = fc
    .record({ n: fc.integer({ min: 0, max: 2 ** 31 }), name: oddMessage.map((m) => m.slice(0, 80)) })
    .map(({ n, name }) => json('POST', 'POST /behaviours', '/api/v1/behaviours', ctx.tokens.admin, { key: `fuzz-${n.toString(36)}`, group: 'Fuzz', name, description: name }));
  const read = fc.tuple(token, fc.constantFrom('/api/v1/kudos?limit=100', '/api/v1/users?q=%E2%80%AE', '/api/v1/behaviours', '/api/v1/me', '/api/v1/leaderboard')).map(
    ([auth, path]): FuzzRequest => ({ method: 'GET', path, route: `GET ${path.split('?')[0]?.slice('/api/v1'.length)}`, headers: { authorization: `Bearer ${auth}` } }),
  );
  return fc.oneof({ weight: 4, arbitrary: kudos }, { weight: 3, arbitrary: reaction }, { weight: 2, arbitrary: comment }, { weight: 1, arbitrary: user }, { weight: 1, arbitrary: behaviour }, { weight: 2, arbitrary: read });
}
