import { expect } from 'chai';
import fc from 'fast-check';
import { Api } from '../support/api.js';
import { hostileRequest, validWrite, type FuzzRequest } from '../support/fuzz-generators.js';
import { runFuzz, summaryLine, type FuzzSummary } from '../support/fuzz-runner.js';
import { fingerprint, startFuzzTarget, type FuzzTarget } from '../support/fuzz-setup.js';

/**
 * Thousands of hostile requests over real HTTP against one server. A failure prints the seed:
 * SHINE_FUZZ_SEED=<seed> replays the same requests; SHINE_FUZZ_REQUESTS scales the run
 * (scripts/fuzz.ts runs longer ones).
 */
const REQUESTS = Number(process.env.SHINE_FUZZ_REQUESTS ?? 10_000);
const VALID_REQUESTS = Math.max(200, Math.round(REQUESTS / 15));
const SEED = Number(process.env.SHINE_FUZZ_SEED ?? Date.now() % 2 ** 31);

function expectNoProblems(s: FuzzSummary): void {
  expect(s.problems.slice(0, 10), `${s.problems.length} bad answers (seed ${SEED}); first ones`).to.deep.equal([]);
}

describe('HTTP fuzz', function () {
  this.timeout(240_000);
  let target: FuzzTarget;

  before(async () => {
    target = await startFuzzTarget();
  });
  after(() => target?.close());

  it('answers hostile requests on every route without a 5xx, always in the error shape, writing nothing', async () => {
    const requests = fc.sample(hostileRequest(target.ctx), { numRuns: REQUESTS, seed: SEED });
    const covered = new Set(requests.map((r) => r.route));
    for (const spec of target.ctx.routes) expect(covered.has(`${spec.method.toUpperCase()} ${spec.path}`), `${spec.method} ${spec.path} was fuzzed`).to.equal(true);

    const before = await fingerprint(target.server.store);
    const summary = await runFuzz(target.server.url, requests, 16);
    console.log(`      ${summaryLine('hostile', summary, SEED)}`);
    expect(summary.sent).to.equal(REQUESTS);
    expectNoProblems(summary);
    expect(summary.acceptedWrites.slice(0, 5), 'hostile writes that were accepted').to.deep.equal([]);
    expect(await fingerprint(target.server.store), 'state after hostile requests').to.deep.equal(before);
    expect((await new Api(target.server.url).get('/healthz')).status).to.equal(200);
  });

  it('accounts every change made by valid requests to a 2xx answer', async () => {
    const requests = fc.sample(validWrite(target.ctx), { numRuns: VALID_REQUESTS, seed: SEED });
    const before = await fingerprint(target.server.store);
    const summary = await runFuzz(target.server.url, requests, 16);
    console.log(`      ${summaryLine('valid', summary, SEED)}`);
    expectNoProblems(summary);

    // Only first answers count: an idempotent replay must not have written again.
    const created = (route: string) =>
      summary.outcomes.filter(({ req, res }: { req: FuzzRequest; res: { status: number; headers: Record<string, unknown> } | null }) =>
        req.route === route && res?.status === 201 && res.headers['idempotent-replayed'] === undefined).length;
    const after = await fingerprint(target.server.store);
    expect(created('POST /kudos'), 'some kudos were created').to.be.greaterThan(0);
    expect(after.kudos - before.kudos, 'kudos').to.equal(created('POST /kudos'));
    expect(after.users - before.users, 'users').to.equal(created('POST /users'));
    expect(after.behaviours - before.behaviours, 'behaviours').to.equal(created('POST /behaviours'));
    expect(after.comments - before.comments, 'comments').to.equal(created('POST /kudos/:id/comments'));
    expect([after.periods, after.displays], 'periods and displays').to.deep.equal([before.periods, before.displays]);
    expect((await new Api(target.server.url).get('/healthz')).status).to.equal(200);
  });
});
