import type { BehaviourCount } from '../lib/types.js';

/**
 * Horizontal bars, longest first, each labelled with its name and count in text: readable at a
 * glance, and the numbers do not depend on seeing the bars. Widths are set through the style
 * property (CSSOM), which the strict CSP allows, unlike inline style attributes in HTML.
 */
export function BarChart({ title, rows, emptyText }: { title: string; rows: readonly BehaviourCount[]; emptyText: string }) {
  const sorted = [...rows].filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const max = Math.max(1, ...sorted.map((r) => r.count));
  return (
    <figure class="bar-chart">
      <figcaption>{title}</figcaption>
      {sorted.length === 0 ? (
        <p class="hint">{emptyText}</p>
      ) : (
        <ol class="bars">
          {sorted.map((r) => (
            <li key={r.key} class="bar-row">
              <bdi class="bar-label">{r.name}</bdi>
              <span class="bar-track" aria-hidden="true">
                <span class="bar-fill" style={{ width: `${Math.max(4, (r.count / max) * 100)}%` }} />
              </span>
              <span class="bar-value">{r.count}</span>
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}

/** Counts by behaviour from a list of kudos, for profiles whose summary the viewer may not read. */
export function countBehaviours(kudos: readonly { behaviours: { key: string; name: string }[] }[]): BehaviourCount[] {
  const counts = new Map<string, BehaviourCount>();
  for (const k of kudos) {
    for (const b of k.behaviours) {
      const c = counts.get(b.key) ?? { key: b.key, name: b.name, count: 0 };
      c.count++;
      counts.set(b.key, c);
    }
  }
  return [...counts.values()];
}
