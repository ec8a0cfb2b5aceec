/**
 * The baseline: Express 5 with one JSON endpoint and nothing else (no logging, auth, storage).
 * Run by bench/http.ts in its own process; reports its port over IPC.
 *
 * `/page` is a second reference, not the target's: a feed page's worth of kudos views, built once
 * and serialised by `res.json` per request, so a run shows what answering with that many bytes
 * costs bare Express.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { benchKudosMessage, fakeKudos } from './fanout-payload.js';

const page = { items: Array.from({ length: 20 }, (_, n) => fakeKudos(n, benchKudosMessage(n))), nextCursor: 'eyJrZXkiOiIyMDI2LTExLTI0VDA5OjAwOjAwLjAwMFoiLCJpZCI6IjAxSkJFTkNIIn0' };

const app = express();
app.disable('x-powered-by');
app.get('/json', (_req, res) => {
  res.json({ hello: 'world', at: new Date().toISOString() });
});
app.get('/page', (_req, res) => {
  res.json(page);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
