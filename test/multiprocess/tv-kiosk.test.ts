import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, sleep } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { until } from '../support/until.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts/tv-kiosk.sh');

/** A port nothing listens on yet: the TV's server, still powered off. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const { port } = s.address() as { port: number };
  await new Promise<void>((ok) => s.close(() => ok()));
  return port;
}

/**
 * scripts/tv-kiosk.sh with a stand-in browser that writes down how it was started: the script's
 * promise is that no browser opens before /readyz answers 200, and then one opens on the wall.
 */
describe('TV kiosk start script (scripts/tv-kiosk.sh)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'shine-kiosk-'));
  const argsFile = join(dir, 'browser-args');
  const fakeBrowser = join(dir, 'fake-browser');
  writeFileSync(fakeBrowser, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${argsFile}"\n`, { mode: 0o755 });
  let kiosk: ChildProcess | null = null;
  let server: TestServer | null = null;
  let output = '';

  const start = (env: Record<string, string>) => {
    output = '';
    kiosk = spawn('sh', [SCRIPT], { env: { PATH: process.env.PATH ?? '', HOME: dir, SHINE_KIOSK_BROWSER: fakeBrowser, SHINE_KIOSK_RETRY: '0.2', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    kiosk.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    kiosk.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    return kiosk;
  };
  const exited = (p: ChildProcess) => new Promise<number | null>((ok) => (p.exitCode !== null ? ok(p.exitCode) : p.once('exit', (code) => ok(code))));

  afterEach(async () => {
    if (kiosk && kiosk.exitCode === null) kiosk.kill();
    kiosk = null;
    await server?.close();
    server = null;
    rmSync(argsFile, { force: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('waits while Shine is down, then opens the wall in kiosk mode once /readyz answers', async () => {
    const port = await freePort();
    const p = start({ SHINE_URL: `http://127.0.0.1:${port}`, SHINE_DISPLAY_TOKEN: 'shd_test-token' });
    await sleep(1500);
    expect(existsSync(argsFile), 'no browser while the server is down').to.equal(false);
    expect(p.exitCode, output).to.equal(null);
    expect(output).to.include('is not ready yet');

    server = await startTestServer({ env: { PORT: String(port) } });
    await until(() => existsSync(argsFile), 15_000, () => `the browser was never started:\n${output}`);
    expect(await exited(p), output).to.equal(0);
    const args = readFileSync(argsFile, 'utf8').trim().split('\n');
    expect(args).to.include.members(['--kiosk', '--noerrdialogs', '--no-first-run', `--user-data-dir=${join(dir, '.shine-kiosk')}`]);
    expect(args.at(-1)).to.equal(`http://127.0.0.1:${port}/display?token=shd_test-token`);
  });

  it('opens /display without a token (the wall remembers it) and takes an address with a trailing slash', async () => {
    server = await startTestServer();
    const p = start({ SHINE_URL: `${server.url}/` });
    expect(await exited(p), output).to.equal(0);
    expect(readFileSync(argsFile, 'utf8').trim().split('\n').at(-1)).to.equal(`${server.url}/display`);
  });

  it('refuses to start without SHINE_URL, saying what to set', async () => {
    const p = start({});
    expect(await exited(p)).to.not.equal(0);
    expect(output).to.include('SHINE_URL');
    expect(existsSync(argsFile)).to.equal(false);
  });
});
