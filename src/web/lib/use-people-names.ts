import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';
import type { UserView } from './types.js';

/** What is known of one person's name: 'gone' is a 404 (hr and admin see inactive people; others do not). */
export type NameLookup = { status: 'loading' } | { status: 'found'; name: string } | { status: 'gone' } | { status: 'failed' };

export interface PeopleNames {
  /** The name if known; an unknown id is looked up and the page drawn again once it is. */
  lookup(id: string): NameLookup;
}

/** Parallel lookups: an audit page or a breakdown names a handful of people, rarely more. */
const CONCURRENCY = 4;

/**
 * Names for the ids a page actually shows (audit entries, breakdown lines the server did not name),
 * each read once with GET /users/:id. It replaces loading the whole directory up front: at 10,000
 * people that was a hundred requests on every /hr and /scores view, and it stopped at 5,000
 * people, so anyone further down the alphabet showed as an id.
 */
export function usePeopleNames(enabled: boolean): PeopleNames {
  const known = useRef(new Map<string, NameLookup>()).current;
  const waiting = useRef<string[]>([]).current;
  const running = useRef({ count: 0, live: true }).current;
  const [, redraw] = useState(0);

  useEffect(() => {
    running.live = true;
    return () => {
      running.live = false;
    };
  }, []);

  const pump = () => {
    while (running.count < CONCURRENCY && waiting.length > 0) {
      const id = waiting.shift() as string;
      running.count++;
      api<UserView>(`/users/${encodeURIComponent(id)}`)
        .then(
          (u): NameLookup => ({ status: 'found', name: u.name }),
          (err: unknown): NameLookup => (err instanceof ApiError && err.status === 404 ? { status: 'gone' } : { status: 'failed' }),
        )
        .then((found) => {
          known.set(id, found);
          running.count--;
          if (!running.live) return;
          redraw((n) => n + 1);
          pump();
        });
    }
  };

  return {
    lookup(id) {
      const seen = known.get(id);
      if (seen) return seen;
      if (!enabled) return { status: 'loading' };
      known.set(id, { status: 'loading' });
      waiting.push(id);
      // Asked during a render: the requests start once it is done.
      queueMicrotask(pump);
      return { status: 'loading' };
    },
  };
}

/** For HR's panels: the name once known, an ellipsis while it loads, else the id (all there is when the lookup failed). */
export function nameOr(names: PeopleNames, id: string): string {
  const n = names.lookup(id);
  return n.status === 'found' ? n.name : n.status === 'loading' ? '…' : id;
}
