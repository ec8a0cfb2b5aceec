import { expect } from 'chai';
import helmet from 'helmet';
import { createServer, type Server } from 'node:http';
import { helmetHeaders } from '../../src/http/security-headers.js';
import { Api } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

const OPTIONS = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], upgradeInsecureRequests: null } },
  strictTransportSecurity: true,
};

/** The headers real helmet puts on a real response, through Node's HTTP server. */
async function realHelmetHeaders(): Promise<Record<string, string>> {
  const middleware = helmet(OPTIONS);
  const server: Server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`);
    await res.text();
    const out: Record<string, string> = {};
    const skip = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
    res.headers.forEach((v, k) => {
      if (!skip.has(k)) out[k] = v;
    });
    return out;
  } finally {
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

describe('security headers', () => {
  it('are exactly what helmet sets per request, worked out once', async () => {
    const once = Object.fromEntries(helmetHeaders(OPTIONS).map(([k, v]) => [k.toLowerCase(), v]));
    expect(once).to.deep.equal(await realHelmetHeaders());
    expect(once).to.have.property('strict-transport-security');
  });

  describe('on every kind of answer', () => {
    let server: TestServer;
    let api: Api;
    before(async () => {
      server = await startTestServer();
      api = await new Api(server.url).loginAdmin();
    });
    after(() => server.close());

    const cases: Array<[string, string, boolean]> = [
      ['an API read', '/api/v1/kudos', true],
      ['an API error', '/api/v1/no-such-route', true],
      ['an unauthenticated API call', '/api/v1/kudos', false],
      ['a page', '/login', false],
      ['a health check', '/healthz', false],
    ];
    for (const [what, path, signedIn] of cases) {
      it(`${what}: ${path}`, async () => {
        const res = signedIn ? await api.get(path) : await fetch(server.url + path);
        if (!signedIn) await (res as Response).text();
        const h = res.headers;
        const csp = h.get('content-security-policy') ?? '';
        expect(csp).to.include("default-src 'self'");
        expect(csp).to.include("script-src 'self'");
        expect(csp).to.include("frame-ancestors 'self'");
        expect(h.get('x-content-type-options')).to.equal('nosniff');
        expect(h.get('x-frame-options')).to.equal('SAMEORIGIN');
        expect(h.get('referrer-policy')).to.equal('no-referrer');
        expect(h.get('cross-origin-opener-policy')).to.equal('same-origin');
        expect(h.get('x-powered-by')).to.equal(null);
        // Tests run with NODE_ENV=test: HSTS only in production, where TLS is in front.
        expect(h.get('strict-transport-security')).to.equal(null);
      });
    }
  });

  it('sends Strict-Transport-Security in production', async () => {
    const server = await startTestServer({ env: { NODE_ENV: 'production', JWT_SECRET: 'production-secret-0123456789abcdef0123' } });
    try {
      const res = await fetch(`${server.url}/healthz`);
      await res.text();
      expect(res.headers.get('strict-transport-security')).to.match(/^max-age=\d+/);
    } finally {
      await server.close();
    }
  });
});
