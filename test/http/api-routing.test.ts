import { expect } from 'chai';
import { request } from 'node:http';
import { Api } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The API's path matching (src/http/api-router.ts) keeps the rules clients met when Express's
 * router matched it: these pin them down.
 */
describe('API routing', () => {
  let server: TestServer;
  let admin: Api;
  before(async () => {
    server = await startTestServer();
    admin = await new Api(server.url).loginAdmin();
  });
  after(() => server.close());

  it('takes a trailing slash and any case in the fixed parts of a path', async () => {
    for (const path of ['/api/v1/kudos/', '/API/V1/Kudos', '/api/v1/me/']) {
      const res = await admin.get(path);
      expect(res.status, path).to.equal(200);
    }
  });

  it('decodes path parameters', async () => {
    const me = await admin.get<{ id: string }>('/api/v1/me');
    const encoded = me.body.id.split('').map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const res = await admin.get<{ id: string }>(`/api/v1/users/${encoded}`);
    expect(res.status).to.equal(200);
    expect(res.body.id).to.equal(me.body.id);
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetch(`${server.url}/api/v1/kudos`, { method: 'HEAD', headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(await res.text()).to.equal('');
  });

  it('authenticates before it says a route does not exist', async () => {
    const anonymous = await fetch(`${server.url}/api/v1/no-such-thing`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(anonymous.status).to.equal(401);
    const unknown = await admin.get('/api/v1/no-such-thing');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('route_not_found');
    // A wrong method is an unknown route too, OPTIONS included.
    expect((await admin.request('PUT', '/api/v1/kudos', {})).status).to.equal(404);
    expect((await admin.request('OPTIONS', '/api/v1/kudos')).status).to.equal(404);
  });

  it('refuses malformed percent-encoding with 400 and the error shape', async () => {
    const res = await admin.get('/api/v1/kudos/%E0%A4%A');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('bad_request');
  });

  it('validates a long id instead of hiding the route', async () => {
    const res = await admin.get(`/api/v1/kudos/${'x'.repeat(300)}`);
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('invalid_request');
  });

  it('leaves paths that only start like the API to the rest of the app', async () => {
    // Outside the API nothing reads the token, so a bad one is no 401 there.
    const res = await fetch(`${server.url}/api/v1kudos`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(res.status).to.equal(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('route_not_found');
  });

  it('serves health checks and the OpenAPI document without a token', async () => {
    for (const path of ['/api/v1/healthz', '/api/v1/readyz', '/api/v1/openapi.json', '/healthz', '/readyz']) {
      const res = await fetch(server.url + path);
      await res.arrayBuffer();
      expect(res.status, path).to.equal(200);
    }
  });

  it('answers a request too large to parse with 431 in the error shape, and HEAD without a body', async () => {
    const path = `/api/v1/kudos/${'x'.repeat(20_000)}`;
    const get = await fetch(server.url + path);
    expect(get.status).to.equal(431);
    expect(((await get.json()) as { error: { code: string } }).error.code).to.equal('headers_too_large');
    // A body after a HEAD answer breaks the client's parser (HPE_CLOSED_CONNECTION): found by the fuzz test.
    const head = await new Promise<{ status: number; bytes: number }>((ok, fail) => {
      const r = request(server.url + path, { method: 'HEAD' }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => ok({ status: res.statusCode ?? 0, bytes }));
      });
      r.on('error', fail);
      r.end();
    });
    expect(head).to.deep.equal({ status: 431, bytes: 0 });
  });
});
