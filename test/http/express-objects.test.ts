import { expect } from 'chai';
import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressBornObjects } from '../../src/http/express-objects.js';

/**
 * src/http/express-objects.ts: before Node 24 requests and responses are born with the app's
 * prototypes, from Node 24 node:http makes them as usual; Express works the same on both.
 */
for (const nodeMajor of [20, 24]) {
  const born = nodeMajor < 24;
  describe(`request and response objects for Express, as on Node ${nodeMajor} (${born ? 'born with its prototypes' : 'as node:http makes them'})`, () => {
    let server: Server;
    let url: string;
    const arrived: Array<{ req: boolean; res: boolean }> = [];

    before(async () => {
      const app = express();
      app.set('query parser', 'simple');
      app.get('/echo/:id', (req, res) => {
        res.status(201).json({ id: req.params.id, q: req.query, agent: req.get('X-Agent'), json: req.is('application/json') });
      });
      const objects = expressBornObjects(nodeMajor);
      server = createServer(objects.options, app);
      // Runs before Express sees the objects: what node:http made.
      server.prependListener('request', (req, res) => {
        arrived.push({ req: Object.getPrototypeOf(req) === app.request, res: Object.getPrototypeOf(res) === app.response });
      });
      objects.adopt(app);
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((ok) => server.close(() => ok())));

    it(`hands Express objects ${born ? 'that already have' : 'without'} its prototypes, and Express works on them`, async () => {
      const res = await fetch(`${url}/echo/a%20b?x=1&x=2`, { headers: { 'x-agent': 'test', 'content-type': 'application/json' }, method: 'GET' });
      expect(res.status).to.equal(201);
      expect(await res.json()).to.deep.equal({ id: 'a b', q: { x: ['1', '2'] }, agent: 'test', json: null });
      expect(arrived.at(-1)).to.deep.equal({ req: born, res: born });
    });

    it('keeps serving many requests on one connection, and unknown paths get Express’s 404', async () => {
      for (let i = 0; i < 20; i++) expect((await fetch(`${url}/echo/${i}`)).status).to.equal(201);
      const missing = await fetch(`${url}/nowhere`);
      expect(missing.status).to.equal(404);
      expect(await missing.text()).to.include('Cannot GET /nowhere');
    });
  });
}
