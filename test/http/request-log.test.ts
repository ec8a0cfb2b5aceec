import { expect } from 'chai';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Api } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('request log', () => {
  let server: TestServer;
  let admin: Api;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  before(async () => {
    server = await startTestServer({ log: pino({ level: 'info' }, sink) });
    admin = await new Api(server.url).loginAdmin();
  });
  after(() => server.close());
  beforeEach(() => {
    lines.length = 0;
  });

  it('writes one line per request with its id, route, status and duration, and never a token', async () => {
    const res = await admin.get('/api/v1/kudos?limit=2&token=secret-in-query', { 'x-request-id': 'trace-log-1' });
    const line = entries().find((e) => e.reqId === 'trace-log-1');
    expect(line).to.include({ msg: 'request completed', reqId: 'trace-log-1' });
    expect(line?.req).to.deep.equal({ method: 'GET', url: '/api/v1/kudos?limit=2&token=[redacted]' });
    expect(line?.res).to.deep.equal({ statusCode: res.status });
    expect(line?.responseTime).to.be.a('number');
    const text = lines.join('\n');
    expect(text).not.to.include('secret-in-query');
    expect(text).not.to.include(admin.token as string);
    expect(text.toLowerCase()).not.to.include('authorization');
  });

  it('redacts a token parameter however its name is percent-encoded, as the display page decodes it', async () => {
    const urls = [
      '/display?%74oken=shd_secret-1',
      '/display?t%6Fk%65n=shd_secret-2&lang=en',
      '/display?x=1&%74%6F%6B%65%6E=shd_secret-3',
      '/api/v1/kudos?access_%74oken=secret-4&limit=1',
    ];
    for (const [i, url] of urls.entries()) {
      // The display page reads what URLSearchParams decodes: the name really is the token's.
      expect([...new URLSearchParams(url.split('?')[1]).keys()].some((k) => k.endsWith('token')), url).to.equal(true);
      await fetch(server.url + url, { headers: { 'x-request-id': `encoded-${i}` } });
    }
    const logged = entries().filter((e) => String(e.reqId).startsWith('encoded-')).map((e) => (e.req as { url: string }).url);
    expect(logged).to.deep.equal([
      '/display?%74oken=[redacted]',
      '/display?t%6Fk%65n=[redacted]&lang=en',
      '/display?x=1&%74%6F%6B%65%6E=[redacted]',
      '/api/v1/kudos?access_%74oken=[redacted]&limit=1',
    ]);
    expect(lines.join('\n')).not.to.match(/secret-\d/);
  });

  it('logs failures with the request id the error body quotes, and leaves probes out', async () => {
    const res = await admin.get('/api/v1/kudos/not-a-kudos-id');
    expect(res.status).to.be.within(400, 499);
    const line = entries().find((e) => e.reqId === res.body.error.requestId);
    expect(line?.res).to.deep.equal({ statusCode: res.status });
    lines.length = 0;
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    expect((await fetch(`${server.url}/healthz?probe=1`)).status).to.equal(200);
    // Spelled as the routers also accept them: a trailing slash, another letter case.
    expect((await fetch(`${server.url}/healthz/`)).status).to.equal(200);
    expect((await fetch(`${server.url}/api/v1/Readyz/`)).status).to.equal(200);
    expect(lines).to.deep.equal([]);
  });

  it('at warn, leaves finished requests out but still logs an abandoned one', async () => {
    const warned: string[] = [];
    const quiet = await startTestServer({
      log: pino({ level: 'warn' }, new Writable({
        write(chunk: Buffer, _enc, done) {
          warned.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      })),
    });
    try {
      expect((await new Api(quiet.url).get('/api/v1/kudos')).status).to.equal(401);
      // A client that sends half a body and leaves.
      const sock = connect(quiet.port, '127.0.0.1');
      await once(sock, 'connect');
      sock.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: shine\r\nContent-Type: application/json\r\nContent-Length: 100\r\nX-Request-Id: left-early\r\n\r\n{"email":');
      await new Promise((ok) => setTimeout(ok, 100));
      sock.destroy();
      const deadline = Date.now() + 3000;
      while (!warned.some((l) => l.includes('left-early')) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
      const logged = warned.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged.find((e) => e.reqId === 'left-early')).to.include({ msg: 'request aborted' });
      expect(logged.filter((e) => e.msg === 'request completed')).to.deep.equal([]);
    } finally {
      await quiet.close();
    }
  });
});
