import { useEffect, useState } from 'preact/hooks';
import { api, query, randomKey } from '../lib/api.js';
import { describeError } from '../lib/errors.js';
import { charCount, formatDateTime, relativeTime } from '../lib/format.js';
import { profileHref } from '../lib/people.js';
import type { CommentView, Page } from '../lib/types.js';

const MAX_COMMENT = 500;

/**
 * The comment thread of one kudos, oldest first. Reloads when the live comment count moves, so
 * other people's comments appear without a refresh.
 */
export function Comments({ kudosId, commentCount, onPosted }: { kudosId: string; commentCount: number; onPosted(): void }) {
  const [items, setItems] = useState<CommentView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [text, setText] = useState('');
  /** The thread could not be read; shown above it, not against the comment field. */
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/kudos/${encodeURIComponent(kudosId)}/comments`;

  const load = async (cursor: string | null, signal?: AbortSignal) => {
    try {
      const page = await api<Page<CommentView>>(base + query({ limit: 50, cursor }), { signal });
      if (signal?.aborted) return;
      setItems((prev) => {
        const all = cursor ? [...prev, ...page.items] : page.items;
        const seen = new Set<string>();
        return all.filter((c) => !seen.has(c.id) && Boolean(seen.add(c.id)));
      });
      setNext(page.nextCursor);
      setLoaded(true);
      setLoadError(null);
    } catch (err) {
      if (!signal?.aborted) setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    // The count moved again (or the thread was closed) before the thread came: the older read is
    // aborted, so that its answer cannot replace the newer one's.
    const asked = new AbortController();
    void load(null, asked.signal);
    return () => asked.abort();
  }, [kudosId, commentCount]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const n = charCount(text);
    if (n === 0) return setError('Write a comment first.');
    if (n > MAX_COMMENT) return setError(`Keep comments to ${MAX_COMMENT} characters.`);
    setBusy(true);
    setError(null);
    try {
      const c = await api<CommentView>(base, { method: 'POST', body: { message: text.trim() }, idempotencyKey: randomKey() });
      setItems((prev) => (prev.some((x) => x.id === c.id) ? prev : [...prev, c]));
      setText('');
      onPosted();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const inputId = `comment-${kudosId}`;
  const errorId = `${inputId}-error`;
  return (
    <div class="comments">
      {!loaded && !loadError && <p class="hint">Loading comments…</p>}
      {loadError && (
        <p class="error-text" role="alert">
          {loadError}
        </p>
      )}
      {loaded && items.length === 0 && <p class="hint">No comments yet. Be the first.</p>}
      <ul class="comment-list">
        {items.map((c) => (
          <li key={c.id} class="comment">
            <a href={profileHref(c.author.id)} class="comment-author">
              <bdi>{c.author.name}</bdi>
            </a>
            <time dateTime={c.createdAt} title={formatDateTime(c.createdAt)} class="time">
              {relativeTime(c.createdAt)}
            </time>
            <p class="comment-text" dir="auto">
              {c.message}
            </p>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" class="button-quiet button-small" onClick={() => load(next)}>
          Show more comments
        </button>
      )}
      <form class="comment-form" onSubmit={submit} noValidate>
        <label for={inputId}>Add a comment</label>
        <div class="comment-row">
          <textarea id={inputId} rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? errorId : undefined} />
          {/* aria-disabled, not disabled: a disabled button drops keyboard focus to the page body. */}
          <button type="submit" class="button-secondary" aria-disabled={busy ? 'true' : undefined}>
            Post
          </button>
        </div>
        {error && (
          <p id={errorId} class="error-text" role="alert">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
