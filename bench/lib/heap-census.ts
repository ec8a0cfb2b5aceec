import { writeFileSync } from 'node:fs';
// ws comes with socket.io-client (a devDependency); Node 20 has no WebSocket client without a flag.
import WebSocket from 'ws';

/** Live objects of one kind in a heap snapshot: how many, and their own (shallow) bytes. */
export interface Tally {
  count: number;
  bytes: number;
}

/** "type:name" (an object's constructor, a closure's function name, …) → its tally. */
export type Census = Map<string, Tally>;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/**
 * A Shine process's V8 inspector (the process runs with `--inspect=127.0.0.1:0`): forces full
 * collections and takes heap snapshots, boiled down to a census by constructor. Counts, not
 * heap totals: a leak shows as a kind of object whose number follows the work done, which a
 * heap total blurs with allocator slack and lazily compiled code.
 */
export class HeapInspector {
  private seq = 0;
  private readonly waiting = new Map<number, { ok: (r: unknown) => void; fail: (e: Error) => void }>();
  private chunks: string[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; method?: string; params?: { chunk?: string }; result?: unknown; error?: { message: string } };
      if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') return void this.chunks.push(msg.params?.chunk ?? '');
      const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
      if (!w || msg.id === undefined) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.fail(new Error(msg.error.message));
      else w.ok(msg.result);
    });
  }

  /** `output`: what the process printed; the inspector announces its address there. */
  static async attach(output: string): Promise<HeapInspector> {
    const address = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
    if (!address) throw new Error('the server printed no inspector address; start it with --inspect=127.0.0.1:0');
    const ws = new WebSocket(address, { maxPayload: 1024 * 1024 * 1024 });
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    return new HeapInspector(ws);
  }

  private send<T>(method: string, params: object = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((ok, fail) => {
      this.waiting.set(id, { ok: ok as (r: unknown) => void, fail });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Full GC twice (finalizers and weak references free some objects only in the second), then the used heap. */
  async collect(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    await this.send('HeapProfiler.collectGarbage');
    return (await this.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
  }

  /**
   * A snapshot (which itself collects first), counted by "type:name"; `saveAs`: also written to
   * this file, to open in Chrome DevTools' Memory tab and compare there.
   */
  async census(saveAs?: string): Promise<Census> {
    await this.collect();
    this.chunks = [];
    await this.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    const text = this.chunks.join('');
    if (saveAs) writeFileSync(saveAs, text);
    const snap = JSON.parse(text) as Snapshot;
    this.chunks = [];
    return tally(snap);
  }

  close(): void {
    this.ws.close();
  }
}

/** Strings are counted as one kind each way (type only): their texts are data, not kinds. */
const BY_TYPE_ONLY = new Set(['string', 'concatenated string', 'sliced string', 'number', 'heap number', 'code', 'object shape']);

function tally(snap: Snapshot): Census {
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [t, n, s] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const out: Census = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + t] as number] ?? '?';
    const key = BY_TYPE_ONLY.has(type) ? `(${type})` : `${type}:${snap.strings[snap.nodes[i + n] as number] ?? '?'}`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + s] as number;
    out.set(key, e);
  }
  return out;
}

/** What grew from `a` to `b`, most bytes first; only kinds that gained at least `minCount`. */
export function growth(a: Census, b: Census, minCount: number): Array<{ key: string; from: number; to: number; bytes: number }> {
  const rows = [];
  for (const [key, to] of b) {
    const from = a.get(key) ?? { count: 0, bytes: 0 };
    if (to.count - from.count >= minCount) rows.push({ key, from: from.count, to: to.count, bytes: to.bytes - from.bytes });
  }
  return rows.sort((x, y) => y.bytes - x.bytes);
}

export const total = (c: Census): Tally =>
  [...c.values()].reduce((sum, e) => ({ count: sum.count + e.count, bytes: sum.bytes + e.bytes }), { count: 0, bytes: 0 });
