import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './api.js';
import { describeError } from './errors.js';

export type ApiGetState<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

const LOADING = { status: 'loading' } as const;

/**
 * GET `path` whenever it or `refreshKey` (compared by identity: a status, a counter) changes, or
 * `retry` is called; a null path asks nothing and stays loading. Failures become the sentence
 * the pages show (describeError); a 401 has already gone to /login.
 */
export function useApiGet<T>(path: string | null, refreshKey?: unknown): { state: ApiGetState<T>; retry(): void } {
  const [attempt, setAttempt] = useState(0);
  // One object per request, so that an answer counts for the request it answers and no other.
  const request = useMemo(() => ({ path, refreshKey, attempt }), [path, refreshKey, attempt]);
  const [answer, setAnswer] = useState<{ request: object; state: ApiGetState<T> } | null>(null);
  useEffect(() => {
    if (path === null) return;
    // A request given up on (another period picked since, even the same one again, or the part
    // of the page that asked gone) is aborted: the browser stops waiting for it, and its answer,
    // or the AbortError that ends it, must not overwrite the newer answer once that has come.
    const asked = new AbortController();
    const settle = (state: ApiGetState<T>) => {
      if (!asked.signal.aborted) setAnswer({ request, state });
    };
    api<T>(path, { signal: asked.signal }).then(
      (data) => settle({ status: 'ready', data }),
      (err: unknown) => settle({ status: 'error', message: describeError(err) }),
    );
    return () => asked.abort();
  }, [request]);
  // The effect runs after the render that changed the request; until the new answer comes, the one
  // held is for something else (last period's scores under this period's name): that is loading.
  return { state: answer?.request === request ? answer.state : LOADING, retry: () => setAttempt((n) => n + 1) };
}
