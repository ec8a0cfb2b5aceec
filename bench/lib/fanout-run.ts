import { fileURLToPath } from 'node:url';
import { Child } from './child.js';
import type { ClientsIn, ClientsOut } from './fanout-clients.js';
import { wallClock } from './fanout-payload.js';
import { cpuMs } from './proc-cpu.js';
import { distribution, type Distribution } from './stats.js';

const CLIENTS_JS = fileURLToPath(new URL('./fanout-clients.ts', import.meta.url));

export interface FanoutRun {
  title: string;
  /** Clients are spread round-robin over these servers. */
  urls: string[];
  tokens: string[];
  clients: number;
  broadcasts: number;
  /** Child processes holding the clients. */
  holders: number;
  /** Makes the server broadcast `fanout #seq`; the clock starts just before it is called. */
  trigger: (seq: number) => Promise<void>;
  /** Server processes whose CPU time is counted. */
  pids: number[];
}

export interface FanoutFigure extends Distribution {
  title: string;
  clients: number;
  broadcasts: number;
  /** Deliveries that never arrived (clients × broadcasts − samples). */
  missing: number;
  disconnects: number;
  /** Server CPU time per broadcast (all its processes), in ms. */
  cpuMsPerBroadcast: number | null;
  /** How long the triggering HTTP request took to be answered: p50 and max, ms. */
  answerP50: number;
  answerMax: number;
}

type Done = Extract<ClientsOut, { type: 'done' }>;
type Connected = Extract<ClientsOut, { type: 'connected' }>;
type Samples = Extract<ClientsOut, { type: 'samples' }>;

/**
 * Connects the clients, sends one broadcast at a time (the next once every client has the
 * previous one, or after 10 s), and turns the arrival stamps into request-sent → received latency.
 */
export async function measureFanout(o: FanoutRun): Promise<FanoutFigure> {
  const holders = Array.from({ length: o.holders }, (_, i) => Child.start<ClientsIn, ClientsOut>(CLIENTS_JS, `clients ${i}`));
  try {
    const share = Math.ceil(o.clients / o.holders);
    const connected = await Promise.all(
      holders.map((h, i) => {
        const answer = h.next((m): m is Connected => m.type === 'connected', 120_000);
        // Each holder gets a different rotation of the URLs, so the split stays even.
        const urls = o.urls.map((_, j) => o.urls[(i + j) % o.urls.length] as string);
        h.send({ type: 'connect', urls, tokens: o.tokens, count: Math.min(share, o.clients - i * share) });
        return answer;
      }),
    );
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed > 0) throw new Error(`${o.title}: ${failed} clients could not connect (${connected.find((c) => c.error)?.error})`);

    const sentAt: number[] = [];
    const answered: number[] = [];
    const cpuBefore = cpuMs(o.pids);
    for (let seq = 0; seq < o.broadcasts; seq++) {
      const done = holders.map((h) => h.next((m): m is Done => m.type === 'done' && m.seq === seq, 10_000).catch(() => null));
      sentAt[seq] = wallClock();
      await o.trigger(seq);
      answered.push(wallClock() - (sentAt[seq] as number));
      await Promise.all(done);
      await new Promise((ok) => setTimeout(ok, 20));
    }
    const cpuAfter = cpuMs(o.pids);
    const samples = await Promise.all(
      holders.map((h) => {
        const answer = h.next((m): m is Samples => m.type === 'samples');
        h.send({ type: 'collect' });
        return answer;
      }),
    );
    const latencies: number[] = [];
    for (const s of samples) s.seqs.forEach((seq, i) => latencies.push((s.ats[i] as number) - (sentAt[seq] as number)));
    return {
      title: o.title,
      clients: o.clients,
      broadcasts: o.broadcasts,
      ...distribution(latencies),
      missing: o.clients * o.broadcasts - latencies.length,
      disconnects: samples.reduce((n, s) => n + s.disconnects, 0),
      answerP50: distribution(answered).p50,
      answerMax: distribution(answered).max,
      cpuMsPerBroadcast: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / o.broadcasts,
    };
  } finally {
    await Promise.all(holders.map((h) => h.stop()));
  }
}
