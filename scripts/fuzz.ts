/**
 * A longer HTTP fuzz run than the one in `npm test`, with the same generators and checks:
 *   npx tsx scripts/fuzz.ts --requests 200000 [--seed 42] [--concurrency 16] [--valid 5000]
 * Requests are generated and sent in batches, so memory stays flat however long the run.
 * Exits 1 when any answer was a 5xx, broke the error shape, or a hostile request wrote something.
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { hostileRequest, validWrite } from '../test/support/fuzz-generators.js';
import { runFuzz, summaryLine, type FuzzProblem, type FuzzSummary } from '../test/support/fuzz-runner.js';
import { fingerprint, startFuzzTarget } from '../test/support/fuzz-setup.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200000' },
    valid: { type: 'string', default: '5000' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
  },
});
const total = Number(values.requests);
const validTotal = Number(values.valid);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const concurrency = Number(values.concurrency);
const BATCH = 5000;

function merge(into: FuzzSummary, part: FuzzSummary): void {
  into.sent += part.sent;
  into.ms += part.ms;
  for (const [k, v] of Object.entries(part.histogram)) into.histogram[k] = (into.histogram[k] ?? 0) + v;
  into.problems.push(...part.problems.slice(0, 50 - into.problems.length));
  into.acceptedWrites.push(...part.acceptedWrites.slice(0, 50 - into.acceptedWrites.length));
}

function report(title: string, list: FuzzProblem[]): void {
  if (list.length === 0) return;
  console.log(`\n${title} (first ${Math.min(list.length, 10)}):`);
  for (const p of list.slice(0, 10)) console.log(JSON.stringify(p));
}

const target = await startFuzzTarget();
let failed = false;
try {
  const hostile = hostileRequest(target.ctx);
  const hostileSummary: FuzzSummary = { sent: 0, ms: 0, histogram: {}, problems: [], acceptedWrites: [], outcomes: [] };
  const before = await fingerprint(target.server.store);
  for (let done = 0, batch = 0; done < total; done += BATCH, batch++) {
    const requests = fc.sample(hostile, { numRuns: Math.min(BATCH, total - done), seed: seed + batch });
    merge(hostileSummary, await runFuzz(target.server.url, requests, concurrency));
    process.stdout.write(`\r${hostileSummary.sent}/${total} sent, ${hostileSummary.problems.length} problems`);
  }
  console.log(`\n${summaryLine('hostile', hostileSummary, seed)}`);
  const after = await fingerprint(target.server.store);
  const unchanged = JSON.stringify(after) === JSON.stringify(before);
  if (!unchanged) console.log('state changed during hostile requests:', { before, after });
  report('bad answers', hostileSummary.problems);
  report('hostile writes that were accepted', hostileSummary.acceptedWrites);
  failed = hostileSummary.problems.length > 0 || hostileSummary.acceptedWrites.length > 0 || !unchanged;

  const valid = await runFuzz(target.server.url, fc.sample(validWrite(target.ctx), { numRuns: validTotal, seed }), concurrency);
  console.log(summaryLine('valid', valid, seed));
  report('bad answers to valid requests', valid.problems);
  failed ||= valid.problems.length > 0;
  const health = await fetch(`${target.server.url}/healthz`);
  if (health.status !== 200) {
    console.log(`healthz answered ${health.status}`);
    failed = true;
  }
} finally {
  await target.close();
}
process.exit(failed ? 1 : 0);
