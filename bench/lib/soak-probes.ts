import { readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
// ws comes with socket.io-client (a devDependency); Node 20 has no WebSocket client without a flag.
import WebSocket from 'ws';

/** One page's memory after a forced full GC: what would stay if the wall ran on from here. */
export interface PageSample {
  heapUsed: number;
  nodes: number;
  listeners: number;
  documents: number;
}

/** One server process's memory after a forced full GC, and what it holds open. */
export interface ServerSample {
  heapUsed: number;
  rss: number;
  /** Handles (sockets, timers, servers) the event loop holds, from prom-client. */
  handles: number;
  liveConnections: number;
}

/** Reads a page's heap, DOM and listeners over the DevTools protocol. */
export class PageProbe {
  private cdp: CDPSession | null = null;

  constructor(private readonly page: Page) {}

  /** A reload can move the page to a new renderer, which ends the old session: then a new one. */
  async sample(): Promise<PageSample> {
    try {
      return await this.read();
    } catch (err) {
      if (!/closed|detached/i.test(String(err))) throw err;
      this.cdp = null;
      return this.read();
    }
  }

  private async read(): Promise<PageSample> {
    if (!this.cdp) {
      this.cdp = await this.page.context().newCDPSession(this.page);
      await this.cdp.send('Performance.enable');
    }
    // Twice: a first collection can leave garbage that finalizers and weak references free only in the next.
    await this.cdp.send('HeapProfiler.collectGarbage');
    await this.cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await this.cdp.send('Runtime.getHeapUsage');
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    return { heapUsed: usedSize, nodes: metric('Nodes'), listeners: metric('JSEventListeners'), documents: metric('Documents') };
  }
}

/**
 * A Shine process started with `--inspect=127.0.0.1:0`: the inspector forces a full GC (the app
 * has no such endpoint, rightly), then the heap is read from V8, RSS from /proc and the open
 * handles and live connections from /metrics (loopback callers may read it without a token).
 */
export class ServerProbe {
  private seq = 0;
  private readonly waiting = new Map<number, { ok: (r: unknown) => void; fail: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket, private readonly pid: number, private readonly url: string) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
      if (!w || msg.id === undefined) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.fail(new Error(msg.error.message));
      else w.ok(msg.result);
    });
  }

  /** `output` is what the process printed: the inspector announces its address there. */
  static async attach(output: string, pid: number, url: string): Promise<ServerProbe> {
    const address = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
    if (!address) throw new Error('the server printed no inspector address; start it with --inspect=127.0.0.1:0');
    const ws = new WebSocket(address);
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    return new ServerProbe(ws, pid, url);
  }

  private send<T>(method: string): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.waiting.set(id, { ok: ok as (r: unknown) => void, fail });
      this.ws.send(JSON.stringify({ id, method }));
    });
  }

  async sample(): Promise<ServerSample> {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    const { usedSize } = await this.send<{ usedSize: number }>('Runtime.getHeapUsage');
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const value = (line: RegExp) => Number(line.exec(text)?.[1] ?? Number.NaN);
    return {
      heapUsed: usedSize,
      rss: rssBytes(this.pid),
      handles: value(/^nodejs_active_handles_total (\S+)$/m),
      liveConnections: value(/^shine_live_connections\{kind="user"\} (\S+)$/m) + value(/^shine_live_connections\{kind="display"\} (\S+)$/m),
    };
  }

  close(): void {
    this.ws.close();
  }
}

function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}
