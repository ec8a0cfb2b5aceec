/**
 * The fan-out baseline: socket.io with default options and no authentication; POST /emit
 * broadcasts a kudos-shaped payload to every client. Run in its own process by bench/http.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fakeKudos } from './fanout-payload.js';

const http = createServer();
const io = new Server(http, { serveClient: false });
http.on('request', (req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    if (!req.url?.startsWith('/socket.io/')) res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const { seq } = JSON.parse(body) as { seq: number };
    io.emit('kudos:created', fakeKudos(seq));
    res.writeHead(204).end();
  });
});
http.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (http.address() as AddressInfo).port });
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
