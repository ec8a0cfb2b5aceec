import http from 'node:http';
import type { FuzzRequest } from './fuzz-generators.js';

/** Sends fuzz requests over real HTTP (keep-alive, bounded concurrency) and judges each answer. */

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface FuzzProblem {
  request: { method: string; path: string; headers: Record<string, string>; body: string };
  status: number | null;
  problem: string;
  answer: string;
}

export interface FuzzSummary {
  sent: number;
  ms: number;
  histogram: Record<string, number>;
  problems: FuzzProblem[];
  /** Answers to write methods with a 2xx status (the hostile set must have none). */
  acceptedWrites: FuzzProblem[];
  /** Every (request, answer) pair, for callers that account for what was written. */
  outcomes: { req: FuzzRequest; res: FuzzResponse | null }[];
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TIMEOUT_MS = 15_000;

function send(agent: http.Agent, base: URL, req: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((ok, fail) => {
    // Always frame the body: Node's client sends DELETE/OPTIONS bodies unframed otherwise, which
    // the server would rightly read as a second, garbled request.
    const headers = req.body ? { ...req.headers, 'content-length': String(req.body.length) } : req.headers;
    const r = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: req.path, headers, agent, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', fail);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    r.on('error', fail);
    r.end(req.body);
  });
}

/** What is wrong with this answer, or null: never 5xx, and every error in the contract's shape. */
export function problemWith(req: FuzzRequest, res: FuzzResponse): string | null {
  if (res.status >= 500) return `server error ${res.status}`;
  if (res.status < 400 || req.method === 'HEAD') return null;
  if (!/^application\/json/.test(res.headers['content-type'] ?? '')) return `error answered as ${res.headers['content-type'] ?? 'no content type'}`;
  let body: unknown;
  try {
    body = JSON.parse(res.body.toString('utf8'));
  } catch {
    return 'error body is not JSON';
  }
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || !Array.isArray(e.details)) return 'error body is not {error:{code,message,details[]}}';
  if (res.status === 429 && res.headers['retry-after'] === undefined) return '429 without Retry-After';
  return null;
}

const preview = (b: Buffer | undefined, n = 300) => (b ? b.subarray(0, n).toString('utf8') + (b.length > n ? `… (${b.length} bytes)` : '') : '');

function record(req: FuzzRequest, status: number | null, problem: string, answer: string): FuzzProblem {
  const headers = { ...req.headers };
  if (headers.authorization) headers.authorization = headers.authorization.slice(0, 40);
  return { request: { method: req.method, path: req.path.slice(0, 300), headers, body: preview(req.body) }, status, problem, answer: answer.slice(0, 300) };
}

/** Sends every request, `concurrency` at a time over keep-alive connections. */
export async function runFuzz(baseUrl: string, requests: readonly FuzzRequest[], concurrency = 16): Promise<FuzzSummary> {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const summary: FuzzSummary = { sent: 0, ms: 0, histogram: {}, problems: [], acceptedWrites: [], outcomes: [] };
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++] as FuzzRequest;
      summary.sent++;
      let res: FuzzResponse | null = null;
      try {
        res = await send(agent, base, req);
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).message;
        summary.histogram[`ERR ${code}`] = (summary.histogram[`ERR ${code}`] ?? 0) + 1;
        summary.problems.push(record(req, null, `transport error: ${code}`, ''));
      }
      summary.outcomes.push({ req, res });
      if (!res) continue;
      summary.histogram[res.status] = (summary.histogram[res.status] ?? 0) + 1;
      const problem = problemWith(req, res);
      if (problem) summary.problems.push(record(req, res.status, problem, preview(res.body)));
      if (WRITES.has(req.method) && res.status >= 200 && res.status < 300) summary.acceptedWrites.push(record(req, res.status, 'write accepted', preview(res.body)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  summary.ms = Date.now() - started;
  return summary;
}

/** One line: how many, how long, and the status histogram. */
export function summaryLine(label: string, s: FuzzSummary, seed: number): string {
  const hist = Object.entries(s.histogram)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
  return `fuzz ${label}: ${s.sent} requests in ${(s.ms / 1000).toFixed(1)} s (seed ${seed}) → ${hist}; problems ${s.problems.length}`;
}
