/**
 * What one kudos costs the sqlite writer: the checks, inserts, COMMIT and fsync of insertKudos
 * under group commit, on this thread, without HTTP or the writer thread's messaging around it.
 * The load is bench/http.ts's POST row: 50 givers in 5 teams, 10 recipients, one behaviour of
 * the catalog each, a 1 s rate-limit window no giver reaches. CPU is this thread's alone (not V8's
 * helper threads); wall time includes what the thread waits for (fsync, mostly). Each round also
 * writes the same rows bare (plain INSERTs, no checks), so Shine's share of the cost shows beside
 * SQLite's own; `--batch=1` is one kudos per transaction.
 *
 *   npm run build && npx tsx bench/writer.ts [--batch=12] [--kudos=20000] [--sync=FULL|NORMAL] [--rounds=3]
 *       [--checkpoint-every=N]
 *
 * --checkpoint-every=N turns SQLite's automatic checkpoint off and runs a PASSIVE checkpoint after
 * every N groups instead, timed, to show what checkpoints cost the writer (16 groups of 12 is
 * about SQLite's default of 1,000 WAL pages).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idGenerator } from '../src/domain/ids.js';
import { openDatabase, SqliteDb, type Synchronous } from '../src/store/sqlite/sqlite-db.js';
import { GroupCommit } from '../src/store/sqlite/sqlite-group-commit.js';
import { insertKudos, type KudosWrite } from '../src/store/sqlite/sqlite-kudos-insert.js';
import type { KudosRecord } from '../src/domain/types.js';
import { benchKudosMessage } from './lib/fanout-payload.js';
import { bareRowWriter, type BareKudos } from './lib/bare-rows.js';
import { seedBenchPeople, teamOf, type BenchPerson, type BenchPeople } from './lib/bench-people.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const BATCH = Number(arg('batch', '12'));
const KUDOS = Number(arg('kudos', '20000'));
const ROUNDS = Number(arg('rounds', '3'));
const SYNC = arg('sync', 'FULL') as Synchronous;
const RATE = arg('rate', '1') === '1';
const FK = arg('fk', '1') === '1';
const CHECKPOINT_EVERY = Number(arg('checkpoint-every', '0'));

/** This thread's CPU time in µs, from /proc (process.threadCpuUsage needs Node 23.9); 10 ms ticks. */
function threadCpu(): { user: number; system: number } {
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { user: Number(fields[11]) * 10_000, system: Number(fields[12]) * 10_000 };
}

interface Round {
  userUs: number;
  systemUs: number;
  wallUs: number;
  walBytes: number;
  checkpoints: { count: number; ms: number; usPerKudos: number };
}

/** Shine's write: insertKudos under GroupCommit, the group flushed as one transaction. */
function shineWriter(d: SqliteDb): (batch: readonly BareKudos[]) => void {
  const commit = new GroupCommit<KudosWrite, KudosRecord>(d, (w) => insertKudos(d, w));
  return (batch) => {
    for (const k of batch) {
      const nowMs = Date.parse(k.createdAt);
      void commit.submit({
        k: { ...k, visibility: 'public', idempotencyKey: null },
        options: { allowance: null, rate: !RATE ? null : { max: 1_000_000, from: new Date(nowMs - 1000).toISOString(), to: new Date(nowMs + 1).toISOString() } },
      });
    }
    commit.flush();
  };
}

/**
 * `shine`: insertKudos under GroupCommit, as the server writes. `bare`: the same rows with plain
 * INSERTs (bench/lib/bare-rows.ts), nothing checked or looked up, one transaction per group: what
 * SQLite itself charges for these rows, side by side.
 */
function round(file: string, people: BenchPeople, mode: 'shine' | 'bare'): Round {
  const d = new SqliteDb(openDatabase(file, SYNC), file);
  if (!FK) d.db.pragma('foreign_keys = OFF');
  if (CHECKPOINT_EVERY > 0) d.db.pragma('wal_autocheckpoint = 0');
  const checkpoints = { count: 0, ms: 0 };
  let groups = 0;
  const writeGroup = mode === 'bare' ? bareRowWriter(d.db, teamOf(people)) : shineWriter(d);
  const id = idGenerator();
  let n = 0;
  const submitBatch = () => {
    const batch: BareKudos[] = [];
    for (let i = 0; i < BATCH; i++, n++) {
      const nowMs = Date.now();
      const giver = people.givers[n % people.givers.length] as BenchPerson;
      const recipient = people.recipients[n % people.recipients.length] as BenchPerson;
      batch.push({
        id: id(nowMs), giverId: giver.id, recipientIds: [recipient.id], behaviourKeys: [people.behaviourKeys[n % people.behaviourKeys.length] as string],
        message: benchKudosMessage(n), createdAt: new Date(nowMs).toISOString(), teams: [...new Set([giver.team, recipient.team])],
      });
    }
    writeGroup(batch);
    if (CHECKPOINT_EVERY > 0 && ++groups % CHECKPOINT_EVERY === 0) {
      const t = performance.now();
      d.db.pragma('wal_checkpoint(PASSIVE)');
      checkpoints.ms += performance.now() - t;
      checkpoints.count++;
    }
  };
  // Warm-up: statements prepared, caches and the WAL in their steady state.
  for (let i = 0; i < 2000 / BATCH; i++) submitBatch();
  const wal = () => { try { return statSync(`${file}-wal`).size; } catch { return 0; } };
  const walBefore = wal();
  checkpoints.count = 0;
  checkpoints.ms = 0;
  const cpu = threadCpu();
  const t0 = performance.now();
  const batches = Math.ceil(KUDOS / BATCH);
  for (let i = 0; i < batches; i++) submitBatch();
  const wallUs = (performance.now() - t0) * 1000;
  const end = threadCpu();
  const walBytes = Math.max(0, wal() - walBefore);
  d.close();
  const count = batches * BATCH;
  return { userUs: (end.user - cpu.user) / count, systemUs: (end.system - cpu.system) / count, wallUs: wallUs / count, walBytes: walBytes / count, checkpoints: { ...checkpoints, usPerKudos: (1000 * checkpoints.ms) / count } };
}

const dir = mkdtempSync(join(tmpdir(), 'shine-writer-bench-'));
try {
  const file = join(dir, 'shine.db');
  const people = await seedBenchPeople(file);
  console.log(`writer: ${KUDOS} kudos per round in groups of ${BATCH}, synchronous=${SYNC}, Node ${process.version}`);
  for (let r = 0; r < ROUNDS; r++) {
    // Shine's write and the bare rows take turns, so both see the same minute of the machine.
    for (const mode of ['shine', 'bare'] as const) {
      const x = round(file, people, mode);
      console.log(`  round ${r + 1}, ${mode === 'shine' ? 'Shine' : 'bare '}: ${(x.userUs + x.systemUs).toFixed(1)} µs CPU per kudos (user ${x.userUs.toFixed(1)}, system ${x.systemUs.toFixed(1)}), ${x.wallUs.toFixed(1)} µs wall (${Math.round(1e6 / x.wallUs)} kudos/s); WAL growth ${x.walBytes.toFixed(0)} B per kudos (0 when a checkpoint restarted it)`);
      const c = x.checkpoints;
      if (c.count > 0) console.log(`    ${c.count} checkpoints, ${(c.ms / c.count).toFixed(1)} ms each: ${c.usPerKudos.toFixed(1)} µs of wall per kudos`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
