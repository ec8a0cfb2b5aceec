import { useRef, useState } from 'preact/hooks';
import { ShowMore, useShownCount } from '../components/show-more.js';
import { api, ApiError } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import type { ImportResult } from '../lib/types.js';

const EXAMPLE = 'name,email,team,manager_email,role\nAna Lima,ana@example.com,Support,bo@example.com,employee';

/** People import: a CSV file or pasted text, upserted by email, with every bad line listed. */
export function ImportPanel() {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Why a whole file was refused ("missing column team", "line 3: …"): the message alone only
  // repeats the expected header, which does not say what to fix.
  const [why, setWhy] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  // A file with a systematic mistake (a bad role column, a missing manager over a whole branch)
  // refuses thousands of lines: they are listed a step at a time.
  const refused = useRef<HTMLTableSectionElement>(null);
  const { limit, more } = useShownCount((i) => refused.current?.querySelectorAll<HTMLElement>(':scope > tr')[i]);

  const onFile = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
    setResult(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!text.trim()) return setError('Choose a CSV file or paste its contents first.');
    setBusy(true);
    setError(null);
    setWhy([]);
    setResult(null);
    try {
      setResult(await api<ImportResult>('/users/import', { method: 'POST', rawBody: { contentType: 'text/csv', text } }));
    } catch (err) {
      setError(describeError(err));
      if (err instanceof ApiError) setWhy(err.details.map((d) => (d.path.startsWith('line ') ? `${d.path}: ${d.message}` : d.message)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import people</h2>
      <p>
        Upload a CSV with the header <code>name,email,team,manager_email,role</code>. People are matched by email: new emails are created, known ones updated. A line with an error is skipped whole.
      </p>
      <form class="card" onSubmit={submit} noValidate>
        <div class="field">
          <label for="import-file">CSV file</label>
          <input id="import-file" type="file" accept=".csv,text/csv" onChange={onFile} />
          {fileName && <p class="hint">Loaded {fileName}. You can review or edit it below.</p>}
        </div>
        <div class="field">
          <label for="import-text">Or paste the CSV</label>
          <textarea id="import-text" rows={8} class="mono" value={text} placeholder={EXAMPLE} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
        <button type="submit" class="button-primary" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {error && (
          <div role="alert">
            <p class="error-text">{error}</p>
            {why.length > 0 && (
              <ul class="error-list">
                {why.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </form>
      {result && (
        <div class="card" role="status" data-testid="import-result">
          <p>
            <strong>{result.created}</strong> created, <strong>{result.updated}</strong> updated, <strong>{result.errors.length}</strong> {result.errors.length === 1 ? 'line' : 'lines'} with errors.
          </p>
          {result.errors.length > 0 && (
            <table class="table table-compact">
              <caption>Lines not imported</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">Line</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody ref={refused}>
                {result.errors.slice(0, limit).map((e) => (
                  <tr key={`${e.line}-${e.message}`} tabIndex={-1}>
                    <td class="num">{e.line}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ShowMore shown={Math.min(limit, result.errors.length)} total={result.errors.length} noun="lines not imported" onMore={more} />
        </div>
      )}
    </section>
  );
}
