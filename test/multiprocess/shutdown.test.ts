import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../support/api.js';
import { PROJECT_ROOT, shineEnv, sleep, startShineProcess } from '../support/process.js';

/** Whether a new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

describe('graceful shutdown (SIGTERM)', function () {
  this.timeout(60_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'shine-shutdown-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finishes the request in flight, exits 0, and the data is there after a restart', async () => {
    const first = await startShineProcess({ dataDir, name: 'shutdown' });
    const admin = await new Api(first.url).loginAdmin();
    const rows = ['name,email,team,manager_email,role'];
    for (let i = 0; i < 300; i++) rows.push(`Leaving Person ${i},leaving${i}@shine.test,Team ${i % 7},,`);
    const csv = Buffer.from(rows.join('\n'));
    // An import whose body is still arriving when the signal comes: in flight however fast or
    // loaded the machine is (a large import timed against the signal outlived the 10 s bound
    // on a loaded machine). Its second half goes out only after the server has stopped
    // listening, so it is read and handled during the shutdown.
    const upload = request(`${first.url}/api/v1/users/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv', 'content-length': String(csv.length) },
    });
    const answered = new Promise<{ status: number; body: string }>((ok, fail) => {
      upload.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => ok({ status: res.statusCode ?? 0, body }));
      });
      upload.on('error', fail);
    });
    upload.write(csv.subarray(0, csv.length >> 1));
    await sleep(150);
    const code = first.stop();
    for (let i = 0; i < 200 && (await accepts(first.port)); i++) await sleep(25);
    expect(await accepts(first.port), 'still listening 5 s after SIGTERM').to.equal(false);
    upload.end(csv.subarray(csv.length >> 1));
    const res = await answered;
    expect(res.status, res.body.slice(0, 200)).to.equal(200);
    expect((JSON.parse(res.body) as { created: number }).created).to.equal(300);
    expect(await code).to.equal(0);
    const second = await startShineProcess({ dataDir, name: 'after-shutdown' });
    try {
      const again = await new Api(second.url).loginAdmin();
      const found = await again.get('/api/v1/users?q=leaving%20person%20299');
      expect(found.body.items).to.have.length(1);
    } finally {
      await second.stop();
    }
  });

  it('writes out its last log lines before it exits', async () => {
    const quick = mkdtempSync(join(tmpdir(), 'shine-shutdown-log-'));
    try {
      const p = await startShineProcess({ dataDir: quick, name: 'shutdown-log', env: { LOG_LEVEL: 'info' } });
      expect((await fetch(`${p.url}/api/v1/kudos`, { headers: { 'x-request-id': 'last-words' } })).status).to.equal(401);
      // Lines are written in ~4 KB batches, at the latest a second later: this exit comes sooner.
      expect(await p.stop()).to.equal(0);
      expect(p.tail()).to.include('last-words').and.to.include('"msg":"shutting down"');
    } finally {
      rmSync(quick, { recursive: true, force: true });
    }
  });

  it('exits 0 within its 10 s bound when a request in flight never finishes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shine-shutdown-hang-'));
    try {
      const p = await startShineProcess({ dataDir: dir, name: 'shutdown-hang' });
      // A client that announced a body and never sends it: Express waits for it (up to Node's
      // 300 s requestTimeout), so only the forced close can end this request.
      const socket = connect(p.port, '127.0.0.1');
      socket.on('error', () => {});
      await new Promise<void>((ok) => socket.once('connect', () => ok()));
      socket.write('POST /api/v1/auth/login HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"em');
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      expect(await p.stop(20_000), p.tail()).to.equal(0);
      expect(Date.now() - started).to.be.below(13_000);
      socket.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with SHINE_DRAIN_SECONDS, goes on serving with /readyz at 503 for that long before it closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shine-shutdown-drain-'));
    try {
      const p = await startShineProcess({ dataDir: dir, name: 'shutdown-drain', env: { SHINE_DRAIN_SECONDS: '2', LOG_LEVEL: 'info' } });
      const admin = await new Api(p.url).loginAdmin();
      expect((await fetch(`${p.url}/readyz`)).status).to.equal(200);
      const signalled = Date.now();
      const code = p.stop();
      let ready = await fetch(`${p.url}/readyz`);
      for (let i = 0; i < 20 && ready.status === 200; i++) {
        await sleep(25);
        ready = await fetch(`${p.url}/readyz`);
      }
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).to.equal('shutting_down');
      expect((await fetch(`${p.url}/api/v1/readyz`)).status).to.equal(503);
      // Still serving everything else: the process is alive and its requests are answered.
      expect((await fetch(`${p.url}/healthz`)).status).to.equal(200);
      expect((await admin.get('/api/v1/me')).status).to.equal(200);
      expect(await code, p.tail()).to.equal(0);
      expect(Date.now() - signalled).to.be.at.least(2_000);
      expect(p.tail()).to.include('draining');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('`npm start` passes SIGTERM on to the server, which stops instead of running on orphaned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shine-shutdown-npm-'));
    let output = '';
    const env = shineEnv(dir, { HOME: process.env.HOME ?? dir, LOG_LEVEL: 'info' });
    // --ignore-scripts skips prestart's build (the tests run on the build already made).
    const npm = spawn('npm', ['start', '--ignore-scripts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const npmExited = new Promise((ok) => npm.once('exit', ok));
    const serverPid = () => Number(/"pid":(\d+)/.exec(output)?.[1] ?? 0);
    try {
      let port = 0;
      for (let i = 0; i < 200 && (port === 0 || serverPid() === 0); i++) {
        await sleep(50);
        port = Number(/running at http:\/\/[^:]+:(\d+)/.exec(output)?.[1] ?? 0);
      }
      expect(port, output).to.be.above(0);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
      npm.kill('SIGTERM');
      await npmExited;
      let answering = true;
      for (let i = 0; i < 100 && answering; i++) {
        answering = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
        if (answering) await sleep(100);
      }
      expect(answering, `the server still answers after npm exited:\n${output}`).to.equal(false);
      expect(output).to.include('"msg":"shutting down"');
    } finally {
      if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      try {
        if (serverPid() > 0) process.kill(serverPid(), 'SIGKILL');
      } catch {
        // already gone, as it should be
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
