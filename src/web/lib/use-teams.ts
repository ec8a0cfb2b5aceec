import { useEffect, useState } from 'preact/hooks';
import { api, query } from './api.js';
import type { Page, UserView } from './types.js';

/** Teams seen in the first page of the directory, sorted: suggestions for a team field (a datalist). */
export function useTeams(): string[] {
  const [teams, setTeams] = useState<string[]>([]);
  useEffect(() => {
    api<Page<UserView>>(`/users${query({ limit: 100 })}`).then(
      (p) => setTeams([...new Set(p.items.map((u) => u.team))].sort((a, b) => a.localeCompare(b))),
      () => setTeams([]),
    );
  }, []);
  return teams;
}
