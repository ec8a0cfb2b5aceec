/**
 * Does the server keep anything per dropped connection? A TV wall loses its network thousands of
 * times over the weeks it runs; the soak (bench/soak.ts) saw the server heap creep through its
 * reconnect phase. This drives one built Shine process (NODE_ENV=production, its own data dir,
 * `--inspect`) with small batches of socket.io clients (employee, hr and two displays, one
 * limited to a team) that connect, subscribe with and without a team, ask `feed:since` from a
 * kudos id or a time, and end by having their TCP connection destroyed (no leave packet), some
 * while still being admitted and some in the middle of their replay; kudos (public and private)
 * are posted while they are connected, so packets are in flight when they go. After a warm-up,
 * after N and after 3N drops, it forces a full GC and takes a heap snapshot, and prints the
 * kinds of object (constructor, closure name) whose count grew, warm-up → N and N → 3N. A
 * per-connection leak grows N → 3N about twice as much as warm-up → N; a cache filling up or
 * lazy compilation grows early and stops.
 *
 *   npm run build && npx tsx bench/leak-drops.ts              N=1000 drops, 50 clients at a time
 *   npx tsx bench/leak-drops.ts --drops=500 --end=clean        clean disconnects, to compare
 *   npx tsx bench/leak-drops.ts --drops=200 --width=200 --end=silent
 *                          connections that go silent (a TV losing its Wi-Fi; new connections are
 *                          refused meanwhile): each batch ends by the server's ping timeout, 40 s,
 *                          so keep batches few and wide
 *
 * Other options: --width=50 (clients per batch), --show=25 (rows printed per comparison),
 * --transport=polling (HTTP long-polling, as the pages fall back to; with --end=clean or silent),
 * --save=DIR (also write the three snapshots there, as warm-up/n/3n.heapsnapshot, for DevTools).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, buildUser } from '../test/support/api.js';
import { startShineProcess, TEST_JWT_SECRET } from '../test/support/process.js';
import { BlackholeProxy } from './lib/blackhole-proxy.js';
import { runRound, type Ending, type Transport } from './lib/drop-clients.js';
import { growth, HeapInspector, total, type Census } from './lib/heap-census.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const N = Number(arg('drops', '1000'));
const WIDTH = Number(arg('width', '50'));
const SHOW = Number(arg('show', '25'));
const ENDING = arg('end', 'drop') as Ending;
const TRANSPORT = arg('transport', 'websocket') as Transport;
const SAVE = arg('save', '');
const WARM_UP = 200;
const saveAs = (name: string) => (SAVE ? join(SAVE, `${name}.heapsnapshot`) : undefined);

// MB of 2^20 bytes, as bench/soak.ts reports them.
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;

async function liveConnections(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return [...text.matchAll(/^shine_live_connections\{kind="\w+"\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Until the server has seen every connection go (its own gauge), so a snapshot holds no live one. */
async function settled(url: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 50; i++) {
    if ((await liveConnections(url)) === 0) return;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error(`connections still open: ${await liveConnections(url)}`);
}

function report(title: string, a: Census, b: Census, drops: number): void {
  const [ta, tb] = [total(a), total(b)];
  console.log(`\n${title}: ${drops} drops, objects ${ta.count} → ${tb.count} (${tb.count - ta.count >= 0 ? '+' : ''}${tb.count - ta.count}), shallow ${mb(ta.bytes)} → ${mb(tb.bytes)}`);
  const rows = growth(a, b, Math.max(10, Math.round(drops / 100)));
  if (rows.length === 0) return void console.log('  no kind of object gained 1 per 100 drops');
  console.log('  kind                                               count from → to      per 1000 drops   bytes');
  for (const r of rows.slice(0, SHOW)) {
    const per = (((r.to - r.from) / drops) * 1000).toFixed(1);
    console.log(`  ${r.key.slice(0, 50).padEnd(50)} ${String(r.from).padStart(8)} → ${String(r.to).padEnd(8)} ${per.padStart(10)} ${String(r.bytes).padStart(12)}`);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shine-leak-'));
  const env = { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, SHINE_KUDOS_RATE_LIMIT: '100000', SHINE_KUDOS_RATE_WINDOW: '1' };
  const proc = await startShineProcess({ dataDir, env, name: 'Shine', nodeArgs: ['--inspect=127.0.0.1:0'] });
  const inspector = await HeapInspector.attach(proc.tail(200));
  const proxy = ENDING === 'silent' ? await BlackholeProxy.start(new URL(proc.url)) : null;
  // A silent connection ends at the server's ping timeout (pingInterval + pingTimeout, 40 s); its
  // WebSocket then waits up to 30 s more (ws's close timeout) for a close frame that never comes.
  const settleSeconds = proxy ? 60 : 10;
  const census = async (name: string) => {
    if (proxy) await new Promise((ok) => setTimeout(ok, 32_000));
    return inspector.census(saveAs(name));
  };
  try {
    const admin = await new Api(proc.url).loginAdmin();
    const ana = await buildUser(admin, { team: 'Support' });
    const hr = await buildUser(admin, { team: 'People', role: 'hr' });
    const wall = (await admin.post<{ token: string }>('/api/v1/displays', { name: 'Lobby' })).body.token;
    const teamWall = (await admin.post<{ token: string }>('/api/v1/displays', { name: 'Support corner', team: 'Support' })).body.token;
    const tokens = [ana.api.token, hr.api.token, wall, teamWall] as string[];
    const since = new Date().toISOString();
    let posted = 0;
    const post = async (visibility: 'public' | 'private') => {
      const res = await ana.api.post<{ id: string }>('/api/v1/kudos', { recipientIds: [hr.user.id], behaviourKeys: ['empathize'], message: `Kudos ${++posted}`, visibility });
      if (res.status !== 201) throw new Error(`post kudos: ${res.status} ${res.text}`);
      return res.body.id;
    };
    const anchorId = await post('public');
    let dropped = 0;
    const drive = async (n: number) => {
      for (const end = dropped + n; dropped < end; dropped += WIDTH) {
        const width = Math.min(WIDTH, end - dropped);
        proxy?.restore();
        const meanwhile = async () => void (await Promise.all([post('public'), post('private')]));
        await runRound({ url: proxy?.url ?? proc.url, tokens, anchorId, since, width, first: dropped, ending: ENDING, transport: TRANSPORT, meanwhile, silence: () => proxy?.silenceAll() });
        // Kudos posted after they went quiet pile up unread on the silent connections.
        if (proxy) for (let i = 0; i < 10; i++) await meanwhile();
        await settled(proc.url, settleSeconds);
      }
    };
    console.log(`Shine pid ${proc.pid}, ${{ drop: 'TCP connections destroyed', clean: 'clean disconnects', silent: 'connections gone silent' }[ENDING]}, ${TRANSPORT}, ${WIDTH} clients at a time`);
    await drive(proxy ? WIDTH : WARM_UP);
    const base = await census('warm-up');
    console.log(`after warm-up (${dropped}): heap ${mb(await inspector.collect())}`);
    const t0 = Date.now();
    await drive(N);
    const afterN = await census('n');
    console.log(`after ${dropped}: heap ${mb(await inspector.collect())} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    await drive(2 * N);
    const after3N = await census('3n');
    console.log(`after ${dropped}: heap ${mb(await inspector.collect())}; ${posted} kudos posted`);
    report('warm-up → N', base, afterN, N);
    report('N → 3N', afterN, after3N, 2 * N);
  } finally {
    await proxy?.close();
    inspector.close();
    await proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
