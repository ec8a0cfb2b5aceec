/**
 * A second baseline for POST: Express 5 and better-sqlite3 with nothing of Shine's between them.
 * `express.json()` reads the body and each post writes the rows a Shine kudos writes (the kudos
 * row, its recipient, behaviour and team rows) into Shine's own schema, so every index a commit
 * touches is the same; posts of one event-loop turn share a transaction (WAL,
 * `synchronous=FULL`), and each is answered after its COMMIT. No authentication, validation,
 * rate limit, logging or broadcast: what no implementation that keeps acknowledged kudos through a
 * power cut, with those indexes, can do without, on the same cores.
 *
 * Run by bench/http.ts in its own process: BARE_KUDOS_FILE names the database file, seeded here through
 * Shine's store with 50 givers and 10 recipients. Reports its port and the givers' and
 * recipients' ids over IPC.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { idGenerator } from '../../src/domain/ids.js';
import { openDatabase } from '../../src/store/sqlite/sqlite-db.js';
import { bareRowWriter, type BareKudos } from './bare-rows.js';
import { seedBenchPeople, teamOf } from './bench-people.js';

const file = process.env.BARE_KUDOS_FILE;
if (!file) throw new Error('bare-kudos.ts: set BARE_KUDOS_FILE to the database file');

const people = await seedBenchPeople(file);
const team = teamOf(people);
const db = openDatabase(file, 'FULL');
const write = bareRowWriter(db, team);

interface Post {
  giverId: string;
  recipientIds: string[];
  behaviourKeys: string[];
  message: string;
}

const id = idGenerator();
let queue: Array<{ k: BareKudos; res: express.Response }> = [];
function drain(): void {
  const batch = queue;
  queue = [];
  try {
    write(batch.map((p) => p.k));
    for (const { k, res } of batch) res.status(201).json(k);
  } catch (err) {
    for (const { res } of batch) res.status(500).json({ error: String(err) });
  }
}

const app = express();
app.disable('x-powered-by');
app.post('/kudos', express.json(), (req, res) => {
  const body = req.body as Post;
  const now = Date.now();
  const teams = [...new Set([team(body.giverId), ...body.recipientIds.map(team)])];
  const k: BareKudos = { id: id(now), createdAt: new Date(now).toISOString(), teams, ...body };
  if (queue.length === 0) setImmediate(drain);
  queue.push({ k, res });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port, people });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0); }));
