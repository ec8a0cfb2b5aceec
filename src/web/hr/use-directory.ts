import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../lib/api.js';
import type { Page, UserView } from '../lib/types.js';

const MAX_PAGES = 50;

/**
 * Everyone in the directory (hr sees all, inactive included), so breakdowns and the audit log
 * can show names instead of ids. Loaded once per page view.
 */
export function useDirectory(enabled: boolean): ReadonlyMap<string, UserView> {
  const [people, setPeople] = useState<ReadonlyMap<string, UserView>>(new Map());
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
      if (!cancelled) setPeople(all);
    })().catch(() => {
      // Names are a nicety here; ids are shown when the directory cannot be read.
    });
    return () => {
      cancelled = true;
    };
  }, [enabled]);
  return people;
}
