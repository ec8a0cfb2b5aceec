import Database from '../../src/store/sqlite/driver.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { distribution, type Distribution } from './stats.js';

/**
 * Latency of one small sqlite commit in WAL mode at each synchronous level, on the disk under
 * `parent`. better-sqlite3 is synchronous, so this is how long a commit blocks Shine's event loop.
 */
export function commitCost(parent: string, commits = 300): Record<'FULL' | 'NORMAL', Distribution> {
  const out = {} as Record<'FULL' | 'NORMAL', Distribution>;
  for (const level of ['FULL', 'NORMAL'] as const) {
    const dir = mkdtempSync(join(parent, 'commit-'));
    const db = new Database(join(dir, 'probe.db'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${level}`);
      db.exec('CREATE TABLE c (k TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID');
      const hit = db.prepare('INSERT INTO c VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = n + 1');
      const ms: number[] = [];
      for (let i = 0; i < commits; i++) {
        const t = process.hrtime.bigint();
        hit.run(`k${i % 10}`);
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      out[level] = distribution(ms);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
