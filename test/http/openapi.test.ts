import { expect } from 'chai';
import { openApiPath } from '../../src/http/openapi.js';
import { routeRegistry } from '../../src/http/route.js';
import { Api, buildUser, type ApiResponse } from '../support/api.js';
import { checkJsonSchema, type JsonSchema } from '../support/json-schema-check.js';
import { startTestServer, type TestServer } from '../support/server.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  responses: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Json>; schemas: Record<string, JsonSchema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI document', function () {
  this.timeout(60_000);
  let server: TestServer;
  let admin: Api;
  let doc: Doc;
  const ids: Record<string, string> = {};

  /** The documented schema for this answer; fails when the status is not documented at all. */
  function documentedSchema(method: string, path: string, res: ApiResponse): JsonSchema | null {
    const op = doc.paths[path]?.[method];
    expect(op, `${method} ${path} is documented`).to.exist;
    const response = op!.responses[String(res.status)] ?? op!.responses.default;
    expect(response, `${method} ${path} documents status ${res.status}`).to.exist;
    return response!.content?.['application/json']?.schema ?? null;
  }

  /** Checks a real answer against the document; returns whether a schema was there to check. */
  function expectConforms(method: string, path: string, res: ApiResponse): boolean {
    const schema = documentedSchema(method, path, res);
    if (!schema) return false;
    const problems = checkJsonSchema(schema, res.body, doc as unknown as JsonSchema);
    expect(problems, `${method.toUpperCase()} ${path} → ${res.status} matches its documented schema`).to.deep.equal([]);
    return true;
  }

  before(async () => {
    server = await startTestServer();
    admin = await new Api(server.url).loginAdmin();
    const alice = await buildUser(admin, { name: 'Alice Docs', team: 'Support' });
    const me = await admin.get('/api/v1/me');
    ids.user = alice.user.id;
    ids.admin = me.body.id;
    const kudos = await admin.post('/api/v1/kudos', { recipientIds: [alice.user.id], behaviourKeys: ['thank-customers'], message: 'For the docs' });
    expect(kudos.status).to.equal(201);
    ids.kudos = kudos.body.id;
    expect((await alice.api.post(`/api/v1/kudos/${ids.kudos}/comments`, { message: 'Thanks!' })).status).to.equal(201);
    expect((await alice.api.post(`/api/v1/kudos/${ids.kudos}/reactions`, { emoji: '🎉' })).status).to.equal(201);
    const res = await new Api(server.url).get('/api/v1/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    doc = res.body as Doc;
  });
  after(() => server?.close());

  it('is OpenAPI 3.1-shaped: every path has operations, every operation has responses', () => {
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    expect(doc.info.title).to.be.a('string').and.not.be.empty;
    expect(doc.info.version).to.be.a('string').and.not.be.empty;
    const operationIds = new Set<string>();
    const tagNames = new Set(doc.tags.map((t) => t.name));
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path, 'paths start with /').to.match(/^\//);
      expect(path, 'OpenAPI templates, not Express :params').not.to.include(':');
      const ops = Object.keys(item).filter((k) => METHODS.includes(k));
      expect(ops, `${path} has operations`).not.to.be.empty;
      for (const method of ops) {
        const op = item[method]!;
        const where = `${method} ${path}`;
        expect(Object.keys(op.responses ?? {}), `${where} has responses`).not.to.be.empty;
        for (const [status, r] of Object.entries(op.responses)) {
          expect(status, where).to.match(/^([1-5]\d\d|default)$/);
          expect(r.description, `${where} ${status} has a description`).to.be.a('string');
        }
        if (op.operationId) {
          expect(operationIds.has(op.operationId), `operationId ${op.operationId} is unique`).to.equal(false);
          operationIds.add(op.operationId);
        }
        for (const tag of op.tags ?? []) expect(tagNames.has(tag), `${where} tag ${tag} is declared`).to.equal(true);
        for (const requirement of op.security ?? []) {
          for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes, where).to.have.property(scheme);
        }
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(pathParams.map((p) => p.name), `${where} declares its path parameters`).to.have.members(templated);
        for (const p of pathParams) expect(p.required, `${where} path parameter ${p.name} is required`).to.equal(true);
      }
    }
  });

  it('documents every registered route, with its summary, and the hand-written endpoints', () => {
    expect(routeRegistry.length).to.be.greaterThan(20);
    for (const spec of routeRegistry) {
      const op = doc.paths[openApiPath(spec.path)]?.[spec.method];
      expect(op, `${spec.method.toUpperCase()} ${spec.path} is documented`).to.exist;
      expect(op!.summary).to.equal(spec.summary);
      if (spec.access === 'public') expect(op!.security, `${spec.path} is public`).to.deep.equal([]);
      else expect(op!.security, `${spec.path} needs a token`).not.to.be.empty;
    }
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/v1/openapi.json']) expect(doc.paths[path]?.get, path).to.exist;
  });

  it('turns query schemas into query parameters and bodies into request bodies', () => {
    const feed = doc.paths['/api/v1/kudos']!.get!;
    const limit = feed.parameters?.find((p) => p.name === 'limit');
    expect(limit).to.include({ in: 'query', required: false });
    expect(limit!.schema).to.include({ type: 'integer', minimum: 1, maximum: 100 });
    const post = doc.paths['/api/v1/kudos']!.post as unknown as { requestBody: { required: boolean; content: Record<string, { schema: Json }> } };
    expect(post.requestBody.required).to.equal(true);
    expect(post.requestBody.content['application/json']!.schema.required).to.have.members(['recipientIds', 'behaviourKeys', 'message']);
  });

  it('documents Idempotency-Key on every write a signed-in user makes, as every one honours it', () => {
    const writes = routeRegistry.filter((spec) => spec.method !== 'get' && spec.access !== 'public');
    expect(writes.length).to.be.greaterThan(15);
    for (const spec of writes) {
      const op = doc.paths[openApiPath(spec.path)]![spec.method]!;
      expect(op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'), `${spec.method.toUpperCase()} ${spec.path}`).to.equal(true);
    }
    expect(doc.paths['/api/v1/auth/login']!.post!.parameters ?? [], 'signing in has no user to hold a key').to.be.empty;
  });

  it('matches the real answers of every GET route without path parameters', async () => {
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = item.get;
      if (!op || path.includes('{') || path === '/metrics') continue;
      if (op.responses['200']?.content?.['text/csv']) continue;
      const res = await admin.get(path);
      expect(res.status, `GET ${path}: ${res.text.slice(0, 200)}`).to.equal(200);
      if (expectConforms('get', path, res)) checked++;
    }
    expect(checked, 'the main list endpoints have documented bodies').to.be.at.least(5);
  });

  it('matches the real answers of GET routes with ids', async () => {
    const cases: [string, string][] = [
      ['/api/v1/kudos/{id}', `/api/v1/kudos/${ids.kudos}`],
      ['/api/v1/kudos/{id}/comments', `/api/v1/kudos/${ids.kudos}/comments`],
      ['/api/v1/users/{id}', `/api/v1/users/${ids.user}`],
    ];
    for (const [documented, real] of cases) {
      const res = await admin.get(real);
      expect(res.status, real).to.equal(200);
      expect(expectConforms('get', documented, res), `${documented} documents its body`).to.equal(true);
    }
    // An employee sees the directory entry without admin fields; that shape is documented too.
    const bob = await buildUser(admin, { name: 'Bob Docs' });
    expect(expectConforms('get', '/api/v1/users/{id}', await bob.api.get(`/api/v1/users/${ids.admin}`))).to.equal(true);
  });

  it('matches the real answers of a period and its scores, a hidden private line included', async () => {
    const now = Date.now();
    const period = await admin.post('/api/v1/periods', { name: 'Docs period', startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() });
    expect(period.status, period.text).to.equal(201);
    const lead = await buildUser(admin, { name: 'Lena Docs', role: 'manager' });
    const report = await buildUser(admin, { name: 'Ravi Docs', managerId: lead.user.id });
    const giver = await buildUser(admin, { name: 'Gil Docs' });
    for (const visibility of ['public', 'private']) {
      const k = await giver.api.post('/api/v1/kudos', { recipientIds: [report.user.id], behaviourKeys: ['empathize'], message: 'For the docs', visibility });
      expect(k.status, k.text).to.equal(201);
    }
    expect(expectConforms('get', '/api/v1/periods/{id}', await admin.get(`/api/v1/periods/${period.body.id}`))).to.equal(true);
    const all = await admin.get(`/api/v1/periods/${period.body.id}/scores`);
    expect(expectConforms('get', '/api/v1/periods/{id}/scores', all), 'documents its body').to.equal(true);
    const seen = await lead.api.get(`/api/v1/periods/${period.body.id}/scores?user=${report.user.id}`);
    expect(seen.body.items[0].breakdown.map((l: { giverName: string | null }) => l.giverName)).to.have.members(['Gil Docs', null]);
    expect(expectConforms('get', '/api/v1/periods/{id}/scores', seen)).to.equal(true);
  });

  it('matches the real answers of the main writes', async () => {
    const check = async (method: string, documented: string, res: Promise<ApiResponse>, status: number) => {
      const r = await res;
      expect(r.status, `${method} ${documented}: ${r.text.slice(0, 200)}`).to.equal(status);
      expect(expectConforms(method, documented, r), `${method} ${documented} documents its body`).to.equal(true);
    };
    const carol = await buildUser(admin, { name: 'Carol Docs' });
    await check('post', '/api/v1/auth/login', new Api(server.url).post('/api/v1/auth/login', { email: `${carol.user.email}`, password: carol.password }), 200);
    await check('post', '/api/v1/users', admin.post('/api/v1/users', { name: 'Dan Docs', email: 'dan.docs@shine.test', team: 'Sales' }), 201);
    await check('patch', '/api/v1/users/{id}', admin.patch(`/api/v1/users/${carol.user.id}`, { team: 'Sales' }), 200);
    await check('patch', '/api/v1/me', carol.api.patch('/api/v1/me', { name: 'Carol D. Docs' }), 200);
    await check('post', '/api/v1/kudos', carol.api.post('/api/v1/kudos', { recipientIds: [ids.user], behaviourKeys: ['empathize'], message: 'Again' }), 201);
    await check('post', '/api/v1/kudos/{id}/reactions', carol.api.post(`/api/v1/kudos/${ids.kudos}/reactions`, { emoji: '👏' }), 201);
    await check('delete', '/api/v1/kudos/{id}/reactions/{emoji}', carol.api.delete(`/api/v1/kudos/${ids.kudos}/reactions/${encodeURIComponent('👏')}`), 200);
    await check('post', '/api/v1/kudos/{id}/comments', carol.api.post(`/api/v1/kudos/${ids.kudos}/comments`, { message: 'Me too' }), 201);
    await check('post', '/api/v1/behaviours', admin.post('/api/v1/behaviours', { key: 'docs-behaviour', group: 'Docs', name: 'Writes docs', description: 'Keeps the reference current.' }), 201);
    await check('patch', '/api/v1/behaviours/{key}', admin.patch('/api/v1/behaviours/docs-behaviour', { active: false }), 200);
    const day = 86_400_000;
    const past = await admin.post('/api/v1/periods', { name: 'Docs past', startsAt: new Date(Date.UTC(2020, 0, 1)).toISOString(), endsAt: new Date(Date.UTC(2020, 0, 1) + day).toISOString() });
    await check('post', '/api/v1/periods', Promise.resolve(past), 201);
    await check('post', '/api/v1/periods/{id}/close', admin.post(`/api/v1/periods/${past.body.id}/close`), 200);
    const tv = admin.post('/api/v1/displays', { name: 'Docs TV', team: 'Support' });
    await check('post', '/api/v1/displays', tv, 201);
    await check('patch', '/api/v1/displays/{id}', admin.patch(`/api/v1/displays/${(await tv).body.id}`, { name: 'Docs wall', team: null }), 200);
    const csv = 'name,email,team,manager_email,role\nErin Docs,erin.docs@shine.test,Support,,\n';
    await check('post', '/api/v1/users/import', admin.request('POST', '/api/v1/users/import', csv, { 'content-type': 'text/csv' }), 200);
  });

  it('matches the documented error shape, and the checker catches a body that does not', async () => {
    const res = await admin.get('/api/v1/kudos/no-such-kudos');
    expect(res.status).to.equal(404);
    expect(expectConforms('get', '/api/v1/kudos/{id}', res)).to.equal(true);
    const schema = documentedSchema('get', '/api/v1/kudos/{id}', res)!;
    const broken = { error: { ...(res.body as { error: Json }).error, details: 'none' } };
    expect(checkJsonSchema(schema, broken, doc as unknown as JsonSchema)).not.to.be.empty;
  });

  it('serves the reference page and its script from Shine itself', async () => {
    const anon = new Api(server.url);
    const page = await anon.get('/api-docs');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-type')).to.match(/^text\/html/);
    expect(page.text).to.match(/<script src="\/api-docs\.js" defer><\/script>/);
    expect(page.text, 'no third-party assets').not.to.match(/https?:\/\//);
    const script = await anon.get('/api-docs.js');
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.match(/javascript/);
    expect(script.text).to.include('/api/v1/openapi.json');
    expect(script.text, 'data is rendered as text, never as HTML').not.to.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
