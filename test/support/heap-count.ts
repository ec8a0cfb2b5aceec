import { getHeapSnapshot } from 'node:v8';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/**
 * How many objects made by each of these constructors this process's heap holds, after the full
 * collection a heap snapshot does first. For leak tests that count what a connection leaves
 * behind, including objects of Node's own internals a test cannot reach (its timer lists).
 */
export async function countObjects(constructors: readonly string[]): Promise<Record<string, number>> {
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));
  const snap = JSON.parse(chunks.join('')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const [t, n] = [fields.indexOf('type'), fields.indexOf('name')];
  const objectType = snap.snapshot.meta.node_types[0].indexOf('object');
  const wanted = new Map(constructors.map((c) => [snap.strings.indexOf(c), c]));
  const counts = Object.fromEntries(constructors.map((c) => [c, 0]));
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    if (snap.nodes[i + t] !== objectType) continue;
    const name = wanted.get(snap.nodes[i + n] as number);
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
