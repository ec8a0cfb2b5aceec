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
import { DEFAULT_CATALOG } from '../../src/domain/catalog.js';
import { idGenerator } from '../../src/domain/ids.js';
import { openDatabase } from '../../src/store/sqlite/sqlite-db.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite.store.js';

export interface BarePeople {
  givers: Array<{ id: string; team: string }>;
  recipients: Array<{ id: string; team: string }>;
  behaviourKeys: string[];
}

const file = process.env.BARE_KUDOS_FILE;
if (!file) throw new Error('bare-kudos.ts: set BARE_KUDOS_FILE to the database file');

async function seed(): Promise<BarePeople> {
  const store = new SqliteStore({ file: file as string, synchronous: 'NORMAL' });
  await store.init();
  for (const b of DEFAULT_CATALOG) await store.createBehaviour(b);
  const id = idGenerator();
  const person = async (name: string, i: number) => {
    const u = await store.createUser({ id: id(), name, email: `${name.replace(' ', '.')}@bench.test`.toLowerCase(), team: `Team ${i % 5}`, role: 'employee', managerId: null, passwordHash: null, createdAt: new Date().toISOString() });
    return { id: u.id, team: u.team };
  };
  const givers = [];
  for (let i = 0; i < 50; i++) givers.push(await person(`Giver ${i}`, i));
  const recipients = [];
  for (let i = 0; i < 10; i++) recipients.push(await person(`Recipient ${i}`, i));
  await store.close();
  return { givers, recipients, behaviourKeys: DEFAULT_CATALOG.map((b) => b.key) };
}

const people = await seed();
const teamOf = new Map([...people.givers, ...people.recipients].map((p) => [p.id, p.team]));
const db = openDatabase(file, 'FULL');
const insert = {
  kudos: db.prepare(`INSERT INTO kudos (id, giver_id, message, visibility, created_at, teams, recipient_ids,
    behaviour_keys, idempotency_key, score_refs) VALUES (?, ?, ?, 'public', ?, ?, ?, ?, NULL, NULL)`),
  recipient: db.prepare('INSERT INTO kudos_recipients (kudos_id, user_id, team, position, created_at) VALUES (?, ?, ?, ?, ?)'),
  behaviour: db.prepare('INSERT INTO kudos_behaviours (kudos_id, behaviour_key, position, created_at) VALUES (?, ?, ?, ?)'),
  team: db.prepare('INSERT OR IGNORE INTO kudos_teams (kudos_id, team, created_at) VALUES (?, ?, ?)'),
};

interface Post {
  giverId: string;
  recipientIds: string[];
  behaviourKeys: string[];
  message: string;
}
interface Kudos extends Post {
  id: string;
  createdAt: string;
  teams: string[];
}

const write = db.transaction((batch: Kudos[]) => {
  for (const k of batch) {
    insert.kudos.run(k.id, k.giverId, k.message, k.createdAt, JSON.stringify(k.teams), k.recipientIds.join(','), k.behaviourKeys.join(','));
    k.recipientIds.forEach((r, i) => insert.recipient.run(k.id, r, teamOf.get(r) ?? '', i, k.createdAt));
    k.behaviourKeys.forEach((b, i) => insert.behaviour.run(k.id, b, i, k.createdAt));
    for (const t of k.teams) insert.team.run(k.id, t, k.createdAt);
  }
});

const id = idGenerator();
let queue: Array<{ k: Kudos; res: express.Response }> = [];
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
  const teams = [...new Set([teamOf.get(body.giverId) ?? '', ...body.recipientIds.map((r) => teamOf.get(r) ?? '')])];
  const k: Kudos = { id: id(now), createdAt: new Date(now).toISOString(), teams, ...body };
  if (queue.length === 0) setImmediate(drain);
  queue.push({ k, res });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port, people });
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0); }));
