import { useEffect, useState } from 'preact/hooks';
import { allPages } from './api.js';
import type { TeamView } from './types.js';

/**
 * Every team of active people, in the directory's name order (GET /teams, grouped by the
 * server): suggestions for a team field (a datalist). The directory's first page used to be the
 * source, which left out the teams of everyone after the first 100 people.
 */
export function useTeams(): string[] {
  const [teams, setTeams] = useState<string[]>([]);
  useEffect(() => {
    allPages<TeamView>('/teams').then(
      (list) => setTeams(list.map((t) => t.name)),
      () => setTeams([]),
    );
  }, []);
  return teams;
}
