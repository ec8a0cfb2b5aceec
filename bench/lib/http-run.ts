import autocannon, { type Request } from 'autocannon';
import { cpuMs, mainThreadCpuMs } from './proc-cpu.js';

export interface HttpFigure {
  title: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Server CPU time (all its processes) per answered request, in ms. */
  cpuMsPerReq: number | null;
  /** The same for the servers' main threads alone (the event loops); absent in older results. */
  mainCpuMsPerReq?: number | null;
}

export interface HttpRun {
  title: string;
  /** Several URLs spread the connections over several processes (autocannon round-robins them). */
  urls: string[];
  path: string;
  method?: 'GET' | 'POST';
  connections: number;
  seconds: number;
  /** Builds each request (auth header, body), so requests can differ. */
  setup?: (req: Request) => Request;
  /** Server processes whose CPU time is counted. */
  pids: number[];
}

function run(o: HttpRun, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    // autocannon accepts an array of URLs at run time; its type definitions only say string.
    url: (o.urls.length === 1 ? o.urls[0] : o.urls) as unknown as string,
    connections: o.connections,
    duration: seconds,
    requests: [{ method: o.method ?? 'GET', path: o.path, ...(o.setup ? { setupRequest: o.setup } : {}) }],
  });
}

/** A short unrecorded warm-up (JIT, caches, connection pools), then the measured run. */
export async function measureHttp(o: HttpRun): Promise<HttpFigure> {
  await run(o, 2);
  const cpuBefore = cpuMs(o.pids);
  const mainBefore = mainThreadCpuMs(o.pids);
  const r = await run(o, o.seconds);
  const cpuAfter = cpuMs(o.pids);
  const mainAfter = mainThreadCpuMs(o.pids);
  const perReq = (a: number | null, b: number | null) => (a === null || b === null || r.requests.total === 0 ? null : (b - a) / r.requests.total);
  return {
    title: o.title,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    cpuMsPerReq: perReq(cpuBefore, cpuAfter),
    mainCpuMsPerReq: perReq(mainBefore, mainAfter),
  };
}
