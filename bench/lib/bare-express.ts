/**
 * The baseline: Express 5 with one JSON endpoint and nothing else (no logging, auth, storage).
 * Run by bench/http.ts in its own process; reports its port over IPC.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.disable('x-powered-by');
app.get('/json', (_req, res) => {
  res.json({ hello: 'world', at: new Date().toISOString() });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
