import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import type { AuditEntry, Page } from '../lib/types.js';
import { nameOr, type PeopleNames } from '../lib/use-people-names.js';
import { isolate } from '../lib/bidi.js';

/** "period.close" → "period close" */
const readable = (action: string) => action.replace(/[._]/g, ' ');

/**
 * One detail's value as HR reads it: lists joined, nothing as a dash, anything deeper as JSON, and
 * text (a display's or period's name, a removal reason) isolated, so a right-to-left one keeps to its place.
 */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return isolate(v);
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Details as "key: value · key: value" text (never HTML), trimmed so one entry cannot flood the table. */
function detailsText(d: unknown): string {
  if (d === null || d === undefined) return '';
  const s = typeof d === 'object' && !Array.isArray(d) ? Object.entries(d).map(([k, v]) => `${k}: ${valueText(v)}`).join(' · ') : valueText(d);
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** Who did what, when: newest first, paged. */
export function AuditPanel({ names }: { names: PeopleNames }) {
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = async (cursor: string | null) => {
    try {
      const page = await api<Page<AuditEntry>>(`/audit${query({ limit: 50, cursor })}`);
      setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
      setNext(page.nextCursor);
      setLoaded(true);
    } catch (err) {
      setError(describeError(err));
    }
  };
  useEffect(() => void load(null), []);
  const who = (id: string | null) => (id === null ? 'System' : nameOr(names, id));
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {loaded && items.length === 0 && <p class="hint">Nothing recorded yet.</p>}
      {/* Named by its caption: the section around it is already "Audit log", and landmark names must differ. */}
      {items.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-caption">
          <table class="table table-compact">
            <caption id="audit-caption" class="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    <bdi>{who(e.actorId)}</bdi>
                  </td>
                  <td>{readable(e.action)}</td>
                  <td>
                    {e.targetType}
                    {e.targetId ? ' ' : ''}
                    {e.targetId && <bdi>{e.targetType === 'user' ? who(e.targetId) : e.targetId}</bdi>}
                  </td>
                  <td>
                    <code class="details">{detailsText(e.details)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" class="button-secondary" onClick={() => load(next)}>
          Load older entries
        </button>
      )}
    </section>
  );
}
