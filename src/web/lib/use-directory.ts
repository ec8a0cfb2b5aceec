import { useEffect, useState } from 'preact/hooks';
import { api, query } from './api.js';
import type { Page, UserView } from './types.js';

const MAX_PAGES = 50;

export interface Directory {
  people: ReadonlyMap<string, UserView>;
  /** 'failed' leaves `people` empty: names are a nicety, and callers fall back to something plain. */
  state: 'loading' | 'loaded' | 'failed';
}

/**
 * Everyone in the directory, so breakdowns and the audit log can show names instead of ids.
 * hr and admin get inactive people too; the server leaves them out for everyone else, so a
 * name missing once `state` is 'loaded' belongs to someone no longer in Shine. Loaded once per
 * page view.
 */
export function useDirectoryState(enabled: boolean): Directory {
  const [dir, setDir] = useState<Directory>({ people: new Map(), state: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    (async () => {
      const all = new Map<string, UserView>();
      let cursor: string | null = null;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page: Page<UserView> = await api<Page<UserView>>(`/users${query({ limit: 100, cursor, includeInactive: 'true' })}`);
        for (const u of page.items) all.set(u.id, u);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      if (!cancelled) setDir({ people: all, state: 'loaded' });
    })().catch(() => {
      if (!cancelled) setDir({ people: new Map(), state: 'failed' });
    });
    return () => {
      cancelled = true;
    };
  }, [enabled]);
  return dir;
}

/** The people map alone, for HR's panels (they fall back to ids). */
export function useDirectory(enabled: boolean): ReadonlyMap<string, UserView> {
  return useDirectoryState(enabled).people;
}
