import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN_JS, ShineProcess, shineEnv, sleep } from '../support/process.js';

/** Waits for a process that should refuse to start; returns its exit code and what it printed. */
async function refusal(p: ShineProcess): Promise<{ code: number | null; text: string }> {
  for (let i = 0; i < 200 && p.alive; i++) await sleep(50);
  const code = await p.stop();
  return { code, text: p.tail() };
}

describe('start-up with an unusable data directory', function () {
  this.timeout(30_000);
  const root = mkdtempSync(join(tmpdir(), 'shine-startup-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('names SHINE_DATA_DIR and the reason when the database file cannot be opened', async () => {
    // What a bind mount the container user cannot write looks like to sqlite (tests run as root,
    // so permissions would not stop them): the database path exists but cannot be opened.
    const dataDir = join(root, 'cantopen');
    mkdirSync(join(dataDir, 'shine.db'), { recursive: true });
    const { code, text } = await refusal(new ShineProcess({ dataDir, name: 'cantopen' }));
    expect(code, text).to.equal(1);
    expect(text).to.include(`SHINE_DATA_DIR (${dataDir})`).and.to.include('SQLITE_CANTOPEN');
    expect(text).not.to.include('try again shortly');
    expect(text).not.to.match(/^\s+at /m);
  });

  it('names SHINE_DATA_DIR when the directory cannot be created', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const dataDir = join(file, 'data');
    const p = new ShineProcess({ dataDir: root, name: 'enotdir', env: { SHINE_DATA_DIR: dataDir } });
    const { code, text } = await refusal(p);
    expect(code, text).to.equal(1);
    expect(text).to.include(`SHINE_DATA_DIR (${dataDir})`).and.to.include('ENOTDIR');
    expect(text).not.to.match(/^\s+at /m);
  });
});

describe('a signal while still starting, as PID 1 (docker stop)', function () {
  this.timeout(30_000);

  it('stops at once instead of ignoring SIGTERM until the SIGKILL', async function () {
    // PID 1 of a namespace (a container's node) ignores every signal it has no handler for.
    const probe = spawnSync('unshare', ['--pid', '--fork', '--kill-child', 'true']);
    if (probe.status !== 0) {
      console.log(`    PID-1 start-up signal test: SKIPPED (unshare --pid unavailable: ${probe.stderr?.toString().trim() || probe.error?.message})`);
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'shine-startup-pid1-'));
    // Nothing listens on port 1: start-up keeps retrying Redis and never finishes (docs/deploy.md).
    const env = shineEnv(dir, { SHINE_REDIS_URL: 'redis://127.0.0.1:1' });
    const wrapper = spawn('unshare', ['--pid', '--fork', '--kill-child', process.execPath, MAIN_JS], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    wrapper.stdout.on('data', (c: Buffer) => (output += c.toString()));
    wrapper.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((ok) => wrapper.once('exit', () => ok()));
    try {
      for (let i = 0; i < 100 && !output.includes('redis error'); i++) await sleep(100);
      expect(output, 'start-up should be waiting for Redis').to.include('redis error');
      const children = readFileSync(`/proc/${wrapper.pid}/task/${wrapper.pid}/children`, 'utf8').trim();
      const node = Number(children.split(' ')[0]);
      expect(node).to.be.above(0);
      process.kill(node, 'SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      expect(stopped, `still running 5 s after SIGTERM:\n${output}`).to.equal(true);
    } finally {
      wrapper.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
