import { useEffect, useState } from 'preact/hooks';
import { query } from '../lib/api.js';
import { useApiGet } from '../lib/use-api-get.js';
import { useTeams } from '../lib/use-teams.js';
import { groupBehaviours } from '../lib/catalog.js';
import type { FeedFilter } from '../lib/kudos-list.js';
import type { Behaviour, UserView } from '../lib/types.js';
import { PeopleSearch } from './people-search.js';
import { focusSoon } from '../lib/focus.js';
import { isolate } from '../lib/bidi.js';

export interface FilterState extends FeedFilter {
  /** Display name of the filtered person (the id alone means nothing to a reader). */
  personName?: string;
}

/**
 * The filtered person's name from the directory, for a filter that came from the address: only the
 * id there is trusted, since a link can say anything, and a name shown beside someone else's
 * kudos would credit them to the wrong person. null while unknown (loading, or not in the directory).
 */
function useDirectoryName(id: string | undefined, known: string | undefined): string | null {
  const { state } = useApiGet<UserView>(id && !known ? `/users/${encodeURIComponent(id)}` : null);
  return known ?? (state.status === 'ready' ? state.data.name : null);
}

/** Team, person and behaviour filters; each change applies at once. */
export function FeedFilters({ value, catalog, onChange }: { value: FilterState; catalog: readonly Behaviour[]; onChange(f: FilterState): void }) {
  const teams = useTeams();
  const [team, setTeam] = useState(value.team ?? '');
  useEffect(() => setTeam(value.team ?? ''), [value.team]);
  const personId = value.recipient ?? value.giver;
  const personName = useDirectoryName(personId, value.personName);
  const role = value.giver ? 'giver' : 'recipient';
  const active = Boolean(value.team || personId || value.behaviour);

  const applyTeam = (e: Event) => {
    e.preventDefault();
    onChange({ ...value, team: team.trim() || undefined });
  };
  const setPerson = (id: string | undefined, name: string | undefined, as: 'recipient' | 'giver') =>
    onChange({ ...value, recipient: as === 'recipient' ? id : undefined, giver: as === 'giver' ? id : undefined, personName: name });

  return (
    <section class="card filters" aria-labelledby="filters-title">
      <h2 id="filters-title" class="h-small">
        Filter the feed
      </h2>
      <div class="filter-grid">
        <form class="field" onSubmit={applyTeam}>
          <label for="filter-team">Team</label>
          <div class="input-row">
            <input id="filter-team" type="text" list="filter-team-options" value={team} onInput={(e) => setTeam(e.currentTarget.value)} onChange={applyTeam} placeholder="Any team" />
            <datalist id="filter-team-options">
              {teams.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
        </form>
        <div class="field">
          {personId ? (
            <fieldset class="person-filter">
              <legend class="label-like">Person</legend>
              <p class="chip chip-person">
                <span dir="auto">{personName ?? 'Selected person'}</span>
                <button
                  type="button"
                  class="chip-remove"
                  aria-label="Clear the person filter"
                  onClick={() => {
                    setPerson(undefined, undefined, 'recipient');
                    focusSoon('filter-person');
                  }}
                >
                  ×
                </button>
              </p>
              <div class="segmented" role="radiogroup" aria-label="Show kudos this person">
                {(['recipient', 'giver'] as const).map((r) => (
                  <label key={r} class="segment">
                    <input type="radio" name="filter-person-role" checked={role === r} onChange={() => setPerson(personId, personName ?? undefined, r)} />
                    {r === 'recipient' ? 'received' : 'gave'}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : (
            <PeopleSearch id="filter-person" label="Person" placeholder="Anyone" onPick={(u) => setPerson(u.id, u.name, role)} />
          )}
        </div>
        <div class="field">
          <label for="filter-behaviour">Behaviour</label>
          <select id="filter-behaviour" value={value.behaviour ?? ''} onChange={(e) => onChange({ ...value, behaviour: e.currentTarget.value || undefined })}>
            <option value="">Any behaviour</option>
            {groupBehaviours(catalog, false).map((g) => (
              <optgroup label={g.name} key={g.name}>
                {g.behaviours.map((b) => (
                  <option value={b.key} key={b.key}>
                    {isolate(b.name)}
                    {b.active ? '' : ' (retired)'}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      </div>
      {active && (
        <button
          type="button"
          class="button-quiet button-small"
          onClick={() => {
            onChange({});
            focusSoon('filter-team');
          }}
        >
          Clear all filters
        </button>
      )}
    </section>
  );
}

/**
 * Filters from / to the address bar, so a filtered feed can be bookmarked and shared. The person
 * is kept by id alone: a name in the address (older bookmarks have one) is not read, the
 * directory names them (useDirectoryName).
 */
export function filtersFromUrl(): FilterState {
  const q = new URLSearchParams(location.search);
  const f: FilterState = {};
  for (const k of ['team', 'recipient', 'giver', 'behaviour'] as const) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  return f;
}

export function filtersToUrl(f: FilterState): void {
  const q = query({ team: f.team, recipient: f.recipient, giver: f.giver, behaviour: f.behaviour });
  history.replaceState(null, '', location.pathname + q);
}
