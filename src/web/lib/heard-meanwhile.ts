import { applyUpdate } from './kudos-list.js';
import type { KudosUpdate, KudosView } from './types.js';

interface Heard {
  removed: Set<string>;
  updates: Map<string, KudosUpdate>;
  created: Map<string, KudosView>;
}

/** One page request listening to the live connection until it answered (or failed). */
export interface Listening {
  /** The page brought up to date with what was heard so far: removed kudos out, newer counts in. */
  freshen(page: readonly KudosView[]): KudosView[];
  /** Kudos heard created since the request went out: newer than its page, so missing from it. */
  created(): KudosView[];
  /**
   * The ids of `list` known before the request went out (all but those heard created since): what
   * the page answers for. One of them the page should show but does not was removed.
   */
  heldIn(list: readonly KudosView[]): Set<string>;
  /** Stops listening; call it once the answer was used or the request failed. */
  end(): void;
}

/**
 * What the live connection said while a page was being fetched. HTTP and the socket are separate
 * connections, so a page the server read just before a removal can reach the page after the live
 * removal did: folded in as it is, it puts the removed kudos back, for good, since nothing
 * replays removals (and older counts over newer ones). Each request listens from the moment it
 * goes out, and its page is freshened with what was heard before it is used. Events heard after
 * that are applied after the page anyway, in the order they arrive. Kudos created meanwhile are
 * kept too: a page that starts a list over would otherwise drop them with the list it replaces.
 */
export class HeardMeanwhile {
  private readonly open = new Set<Heard>();

  listen(): Listening {
    const heard: Heard = { removed: new Set(), updates: new Map(), created: new Map() };
    this.open.add(heard);
    return {
      freshen: (page) => {
        let fresh = page.filter((k) => !heard.removed.has(k.id));
        for (const u of heard.updates.values()) fresh = applyUpdate(fresh, u);
        return fresh;
      },
      created: () => [...heard.created.values()],
      heldIn: (list) => new Set(list.filter((k) => !heard.created.has(k.id)).map((k) => k.id)),
      end: () => void this.open.delete(heard),
    };
  }

  /** A kudos announced live (or my own, posted from this page). */
  created(k: KudosView): void {
    for (const h of this.open) h.created.set(k.id, k);
  }

  removed(id: string): void {
    for (const h of this.open) h.removed.add(id);
  }

  /** Updates carry the whole count, so the last one heard for a kudos is the one that matters. */
  updated(u: KudosUpdate): void {
    for (const h of this.open) h.updates.set(u.id, u);
  }
}
