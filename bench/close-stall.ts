/**
 * How long the sqlite store's `closePeriod` holds the event loop, apart from scoring: a period of
 * `--people` people with `--lines` breakdown lines each (10,000 × 120 is the bench/scores.ts close:
 * 1.2 M lines, some 285 MB of JSON) is closed on a fresh file while a 10 ms interval timer notes the
 * longest time it could not fire. The lines are synthetic ScoreLine-shaped objects, built before the
 * clock starts; the snapshot's data holds everyone's result without lines, as the domain writes it.
 *
 *   npx tsx bench/close-stall.ts [--people=10000] [--lines=120] [--rounds=1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idGenerator } from '../src/domain/ids.js';
import type { SnapshotLines } from '../src/domain/types.js';
import { SqliteStore } from '../src/store/sqlite/sqlite.store.js';
import { watchStalls } from '../test/support/stall-watch.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const PEOPLE = Number(arg('people', '10000'));
const LINES = Number(arg('lines', '120'));
const ROUNDS = Number(arg('rounds', '1'));

const nextId = idGenerator();
const ids = () => nextId(Date.parse('2026-01-15T00:00:00.000Z'));
const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: ids(), name: `Person ${String(i).padStart(7, '0')}` }));
const kudosIds = Array.from({ length: Math.max(LINES * 20, 1) }, () => ids());
const BEHAVIOURS = [['teamwork'], ['customer-focus', 'ownership'], ['craft']];

function linesOf(p: number): SnapshotLines {
  const lines = Array.from({ length: LINES }, (_, n) => {
    const giver = people[(p * 7 + n * 13 + 1) % PEOPLE] ?? people[0];
    return {
      kudosId: kudosIds[(p * 31 + n) % kudosIds.length] ?? '',
      giverId: giver?.id ?? '',
      giverName: giver?.name ?? null,
      createdAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + (p * LINES + n) * 1000).toISOString(),
      behaviours: BEHAVIOURS[n % BEHAVIOURS.length] ?? [],
      base: 1.5,
      adjustments: n % 4 === 0 ? [{ rule: 'repeat_pair', factor: 0.5 }] : [],
      points: n % 4 === 0 ? 0.75 : 1.5,
    };
  });
  return { userId: people[p]?.id ?? '', lines };
}

async function round(): Promise<{ ms: number; longestMs: number; over100: number; jsonMiB: number; rssMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'shine-close-stall-'));
  const store = new SqliteStore({ file: join(dir, 'shine.db'), synchronous: 'NORMAL' });
  try {
    await store.init();
    const periodId = ids();
    await store.createPeriod({ id: periodId, name: 'January', startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-02-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' });
    const lines = Array.from({ length: PEOPLE }, (_, p) => linesOf(p));
    const jsonMiB = lines.reduce((n, l) => n + JSON.stringify(l.lines).length, 0) / 2 ** 20;
    const results = people.map((p) => ({ userId: p.id, score: LINES, tier: 'Gold', eligible: true, distinctGivers: 20, kudosReceived: LINES, flags: [], breakdown: [] }));
    const data = { version: 2, period: { id: periodId }, rules: {}, people, results };
    const csv = `id,name,score\r\n${people.map((p) => `${p.id},${p.name},${LINES}\r\n`).join('')}`;

    const watch = watchStalls(10, 100);
    const t0 = performance.now();
    const won = await store.closePeriod({ periodId, closedAt: '2026-02-01T00:01:00.000Z', closedBy: 'bench', data, csv, sha256: '0'.repeat(64) }, lines);
    const ms = performance.now() - t0;
    const { longestMs, over: over100 } = watch.stop();
    if (!won) throw new Error('the close did not win');
    return { ms: Math.round(ms), longestMs: Math.round(longestMs), over100, jsonMiB: Math.round(jsonMiB), rssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let r = 0; r < ROUNDS; r++) {
  const m = await round();
  console.log(`close of ${PEOPLE} people × ${LINES} lines (${m.jsonMiB} MiB of JSON): ${m.ms} ms in all, longest event-loop stall ${m.longestMs} ms, ${m.over100} stalls over 100 ms, peak RSS ${m.rssMiB} MiB`);
}
