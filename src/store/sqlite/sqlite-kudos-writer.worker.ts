/**
 * The kudos writer thread: one connection per open store, each with its group commit, so the
 * inserts, the COMMIT and the fsync of posting kudos run beside the event loop, not on it.
 * Every result or error goes back only after its commit is durable (see GroupCommit).
 */
import { parentPort } from 'node:worker_threads';
import type { KudosRecord } from '../../domain/types.js';
import { openDatabase, SqliteDb, type Synchronous } from './sqlite-db.js';
import { GroupCommit } from './sqlite-group-commit.js';
import { translateSqliteError } from './sqlite-errors.js';
import { insertKudos, type KudosWrite } from './sqlite-kudos-insert.js';
import { toThreadError, type ThreadError } from './thread-errors.js';

export type WriterRequest =
  | { type: 'open'; conn: number; file: string; synchronous: Synchronous }
  | { type: 'write'; conn: number; items: { seq: number; write: KudosWrite }[] }
  | { type: 'close'; conn: number };

export type WriterResult = { seq: number; kudos: KudosRecord } | { seq: number; error: ThreadError };

export type WriterReply =
  | { type: 'results'; items: WriterResult[] }
  | { type: 'closed'; conn: number; error: ThreadError | null };

interface Conn {
  d: SqliteDb;
  writer: GroupCommit<KudosWrite, KudosRecord>;
}

const port = parentPort;
if (!port) throw new Error('sqlite-kudos-writer.worker must run as a worker thread');

const conns = new Map<number, Conn | { failed: unknown }>();
let outbox: WriterResult[] = [];

/** Results settled in one go (a whole commit) travel as one message. */
function send(result: WriterResult): void {
  outbox.push(result);
  if (outbox.length > 1) return;
  queueMicrotask(() => {
    const items = outbox;
    outbox = [];
    port?.postMessage({ type: 'results', items } satisfies WriterReply);
  });
}

function open(conn: number, file: string, synchronous: Synchronous): void {
  try {
    const d = new SqliteDb(openDatabase(file, synchronous), file);
    const writer = new GroupCommit<KudosWrite, KudosRecord>(d, (w) => insertKudos(d, w));
    conns.set(conn, { d, writer });
  } catch (err) {
    conns.set(conn, { failed: err });
  }
}

function write(conn: number, items: { seq: number; write: KudosWrite }[]): void {
  const c = conns.get(conn);
  for (const { seq, write: w } of items) {
    if (!c || 'failed' in c) {
      send({ seq, error: toThreadError(translateSqliteError(c ? c.failed : new Error(`sqlite writer: connection ${conn} is not open`))) });
      continue;
    }
    c.writer.submit(w).then(
      (kudos) => send({ seq, kudos }),
      (err: unknown) => send({ seq, error: toThreadError(err) }),
    );
  }
}

/** Commits what is queued (settling every write at once), then closes. */
function close(conn: number): void {
  const c = conns.get(conn);
  conns.delete(conn);
  let error: ThreadError | null = null;
  if (c && !('failed' in c)) {
    try {
      c.writer.flush();
      c.d.close();
    } catch (err) {
      error = toThreadError(err);
    }
  }
  // After the microtasks that post the flushed writes' results, so those arrive before 'closed'.
  setImmediate(() => port?.postMessage({ type: 'closed', conn, error } satisfies WriterReply));
}

port.on('message', (m: WriterRequest) => {
  if (m.type === 'open') open(m.conn, m.file, m.synchronous);
  else if (m.type === 'write') write(m.conn, m.items);
  else close(m.conn);
});
