import { expect } from 'chai';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Api, buildUser } from '../support/api.js';
import { startTestServer, type TestServer } from '../support/server.js';

interface Answer {
  status: number;
  body: { id?: string; message?: string; error?: { code: string; details: { path: string }[] } };
}

/**
 * JSON bodies as clients send them. Most take the direct path of src/http/json-body.ts, the
 * rest (chunked, compressed, other charsets, too large) go through express.json: both must give
 * the answers body-parser gave, which these pin down (they pass against plain express.json too).
 */
describe('JSON request bodies', () => {
  let server: TestServer;
  let giver: Api;
  let kudos: (message: string) => Record<string, unknown>;

  before(async () => {
    server = await startTestServer();
    const admin = await new Api(server.url).loginAdmin();
    giver = (await buildUser(admin)).api;
    const recipient = (await buildUser(admin)).user;
    const behaviours = await admin.get<Array<{ key: string }>>('/api/v1/behaviours');
    kudos = (message) => ({ recipientIds: [recipient.id], behaviourKeys: [behaviours.body[0]?.key], message });
  });
  after(() => server.close());

  /** POST /api/v1/kudos with exactly these bytes and headers; `chunked` sends no Content-Length. */
  function post(body: Buffer | string, headers: Record<string, string> = {}, chunked = false): Promise<Answer> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return new Promise((resolve, reject) => {
      const req = request(`${server.url}/api/v1/kudos`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${giver.token}`,
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': String(bytes.length) }),
          ...headers,
        },
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'] }));
      });
      req.on('error', reject);
      if (chunked) for (let i = 0; i < bytes.length; i += 7) req.write(bytes.subarray(i, i + 7));
      else req.write(bytes);
      req.end();
    });
  }
  const json = (message: string) => JSON.stringify(kudos(message));

  it('reads a body declared as JSON, with or without a UTF-8 charset, a BOM or leading whitespace', async () => {
    for (const [body, type] of [
      [json('plain'), 'application/json'],
      [json('charset'), 'application/json; charset=UTF-8'],
      [json('quoted charset'), 'Application/JSON;charset="utf-8"'],
      [`\uFEFF${json('with a BOM')}`, 'application/json'],
      [` \r\n\t${json('after whitespace')}`, 'application/json'],
    ] as const) {
      const res = await post(body, { 'content-type': type });
      expect(res.status, `${type} ${body.slice(0, 20)}`).to.equal(201);
      expect(res.body.message).to.equal(JSON.parse(body.replace(/^\uFEFF/, '')).message);
    }
  });

  it('reads chunked, compressed and UTF-16 bodies too', async () => {
    expect((await post(json('chunked'), {}, true)).body.message).to.equal('chunked');
    expect((await post(gzipSync(json('gzip')), { 'content-encoding': 'gzip' })).body.message).to.equal('gzip');
    const utf16 = await post(Buffer.from(json('sixteen bits'), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' });
    expect(utf16.body.message).to.equal('sixteen bits');
  });

  it('turns bytes that are not UTF-8 into U+FFFD instead of refusing the body', async () => {
    const [before, after] = json('broken \u0000 byte').split('\\u0000');
    const res = await post(Buffer.concat([Buffer.from(before as string), Buffer.from([0xff]), Buffer.from(after as string)]));
    expect(res.status).to.equal(201);
    expect(res.body.message).to.equal('broken \uFFFD byte');
  });

  it('takes an empty body as {} and validates it', async () => {
    const res = await post('');
    expect(res.status).to.equal(400);
    expect(res.body.error?.code).to.equal('invalid_request');
    expect(res.body.error?.details.map((d) => d.path)).to.include('recipientIds');
  });

  it('refuses with malformed_json what is not a JSON object or array', async () => {
    for (const body of ['   ', '123', '"text"', 'null', '{"message":', '\u00A0{}', '{"a":1}x', '{"a":1}', '[]']) {
      const res = await post(body);
      const expected = body === '{"a":1}' || body === '[]' ? 'invalid_request' : 'malformed_json';
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body.error?.code, JSON.stringify(body)).to.equal(expected);
    }
  });

  it('refuses an unknown charset or encoding, and a body over the limit', async () => {
    expect((await post(json('latin'), { 'content-type': 'application/json; charset=latin1' })).body.error?.code).to.equal('unsupported_encoding');
    expect((await post(json('zip'), { 'content-encoding': 'x-zip' })).body.error?.code).to.equal('unsupported_encoding');
    const big = await post(json('x'.repeat(70_000)));
    expect(big.status).to.equal(413);
    expect(big.body.error?.code).to.equal('payload_too_large');
  });

  it('refuses a body that is not declared as JSON', async () => {
    const res = await post(json('typed as text'), { 'content-type': 'text/plain' });
    expect(res.status).to.equal(400);
    expect(res.body.error?.code).to.equal('unsupported_media_type');
  });

  it('keeps serving after a client goes away in the middle of a body', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/api/v1/kudos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${giver.token}`, 'content-type': 'application/json', 'content-length': '500' },
      });
      req.on('error', () => resolve());
      req.write('{"message":"half');
      setTimeout(() => req.destroy(), 50);
      req.on('close', () => resolve());
    });
    expect((await post(json('after the abort'))).status).to.equal(201);
  });
});
