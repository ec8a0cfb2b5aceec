import { expect } from 'chai';
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

  it('logs failures with the request id the error body quotes, and leaves probes out', async () => {
    const res = await admin.get('/api/v1/kudos/not-a-kudos-id');
    expect(res.status).to.be.within(400, 499);
    const line = entries().find((e) => e.reqId === res.body.error.requestId);
    expect(line?.res).to.deep.equal({ statusCode: res.status });
    lines.length = 0;
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    expect(lines).to.deep.equal([]);
  });
});
