/**
 * Where a Shine process spends its time under the benchmarks' load: runs the POST or feed load of
 * bench/http.ts against one process or two sharing Redis, with `--cpu-prof` on each, and prints
 * every process's busiest functions per request. For finding what to change; the figures to
 * compare with bare Express come from bench/http.ts.
 *
 *   npm run build && npx tsx bench/profile.ts [post|feed] [--processes=2] [--seconds=10] [--top=25] [--no-profile]
 *
 * Env: SHINE_SQLITE_WRITER, SHINE_SQLITE_SYNCHRONOUS (passed on), SHINE_TEST_REDIS_URL.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropRedisStreams, pingRedis, startShineProcess, type ShineProcess } from '../test/support/process.js';
import { summariseProfile } from './lib/cpu-profile.js';
import { measureHttp } from './lib/http-run.js';
import { benchShineEnv, feedRequest, postKudosRequest } from './lib/shine-load.js';
import { prepareShine } from './lib/shine-fixture.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const MODE = process.argv.includes('feed') ? 'feed' : 'post';
const PROCESSES = Number(arg('processes') ?? 1);
const SECONDS = Number(arg('seconds') ?? 10);
const TOP = Number(arg('top') ?? 25);
const PROFILE = !process.argv.includes('--no-profile');
const REDIS_URL = process.env.SHINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const dataDir = mkdtempSync(join(tmpdir(), 'shine-profile-'));
const profileDir = join(dataDir, 'profiles');
const stream = `shine-profile-${process.pid}`;
const passed = Object.fromEntries(['SHINE_SQLITE_WRITER', 'SHINE_SQLITE_SYNCHRONOUS'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
const processes: ShineProcess[] = [];
try {
  if (PROCESSES > 1) {
    const why = await pingRedis(REDIS_URL);
    if (why) throw new Error(`two processes need Redis at ${REDIS_URL}: ${why}`);
  }
  const env = benchShineEnv({ ...passed, ...(PROCESSES > 1 ? { SHINE_REDIS_URL: REDIS_URL, SHINE_REDIS_STREAM: stream } : {}) });
  const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  for (let i = 0; i < PROCESSES; i++) {
    processes.push(await startShineProcess({ dataDir, env, nodeArgs, name: `Shine ${i + 1}`, logFile: join(dataDir, `shine-${i + 1}.log`) }));
  }
  const fx = await prepareShine((processes[0] as ShineProcess).url, { givers: 50, recipients: 10, displays: 0 });
  const figure = await measureHttp({
    title: `${MODE} ×${PROCESSES}`,
    urls: processes.map((p) => p.url),
    path: '/api/v1/kudos',
    method: MODE === 'post' ? 'POST' : 'GET',
    connections: 50,
    seconds: SECONDS,
    setup: MODE === 'post' ? postKudosRequest(fx) : feedRequest(fx),
    pids: processes.map((p) => p.pid),
  });
  const cpu = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
  console.log(`${figure.title}: ${figure.reqPerSec.toFixed(0)} req/s, p99 ${figure.p99} ms, server CPU ${cpu(figure.cpuMsPerReq)} ms/req (main threads ${cpu(figure.mainCpuMsPerReq)})`);
  for (const p of processes.splice(0)) await p.stop();
  if (PROFILE) {
    // Each profile covers the whole life of its process: start-up, the fixture and the warm-up too.
    const perRequest = (ms: number) => `${((1000 * ms * PROCESSES) / figure.total).toFixed(1).padStart(6)} µs`;
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      const s = summariseProfile(join(profileDir, file));
      console.log(`\n${file}: ${s.busyMs.toFixed(0)} ms busy, ${perRequest(s.busyMs)} per measured request (upper bound: start-up and warm-up included)`);
      console.log('  self:');
      for (const [name, ms] of s.self.slice(0, TOP)) console.log(`  ${perRequest(ms)}  ${name}`);
      console.log('  with what they call:');
      for (const [name, ms] of s.inclusive.slice(0, TOP)) console.log(`  ${perRequest(ms)}  ${name}`);
    }
  }
} finally {
  for (const p of processes) await p.stop();
  if (PROCESSES > 1) await dropRedisStreams(REDIS_URL, stream).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
