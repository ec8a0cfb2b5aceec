import { feedTag } from '../../domain/cursor-tag.js';
import type { KudosUpdate, KudosView } from './types.js';

/**
 * Pure list operations shared by the feed and the TV wall. Live events, replays after a
 * reconnect and "load more" pages can all deliver the same kudos; the id decides.
 */

/** Newest first by createdAt, then id (ids grow with time), matching the API's order. */
export function compareNewestFirst(a: KudosView, b: KudosView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Adds kudos that are not in the list yet; keeps the list sorted and at most `max` long. */
export function mergeKudos(list: readonly KudosView[], incoming: readonly KudosView[], max = Infinity): KudosView[] {
  const seen = new Set(list.map((k) => k.id));
  const fresh = incoming.filter((k) => {
    if (seen.has(k.id)) return false;
    seen.add(k.id);
    return true;
  });
  if (fresh.length === 0) return list.length > max ? list.slice(0, max) : (list as KudosView[]);
  return [...list, ...fresh].sort(compareNewestFirst).slice(0, max);
}

/**
 * The cursor the API gives for the page after `k` in the feed filtered by `f`: base64url of
 * [createdAt, id, tag], as src/domain/cursor.ts writes it, tagged as the server tags that filter's
 * feed (the API refuses a cursor of another list or filter). Minted here only so that a feed which
 * dropped its oldest cards can carry on after the last one it kept; web-lib.test.ts holds it to the
 * server's encoding.
 */
export function cursorAfter(k: KudosView, f: FeedFilter): string {
  return btoa(JSON.stringify([k.createdAt, k.id, feedTag(f)])).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Bounds a feed that live kudos keep growing at the top: beyond `max` the oldest cards go, and
 * `next` is the cursor that continues right after the last card kept (null when nothing was cut).
 */
export function capFeed(list: readonly KudosView[], max: number, f: FeedFilter): { items: KudosView[]; next: string | null } {
  if (list.length <= max) return { items: list as KudosView[], next: null };
  const items = list.slice(0, max);
  const last = items[items.length - 1];
  return { items, next: last ? cursorAfter(last, f) : null };
}

/**
 * Folds a freshly fetched first page into the list after a reconnect. Of the kudos the list held
 * when the request went out (`held`), those the page should show but does not were removed while
 * the page was offline (removals are not replayed), and those it shows come back with fresh
 * reactions and comment counts. Kudos that arrived live meanwhile stay, and so do older ones,
 * unless the page is the whole feed (`complete`: it has no next cursor).
 */
export function reconcileFirstPage(
  list: readonly KudosView[], page: readonly KudosView[], complete: boolean, held: ReadonlySet<string>, max = Infinity,
): KudosView[] {
  const oldest = page[page.length - 1];
  const keep = list.filter((k) => !held.has(k.id) || (!complete && oldest !== undefined && compareNewestFirst(k, oldest) > 0));
  return mergeKudos(page, keep, max);
}

/** Applies a live reaction / comment-count update; my own reactions stay as I last set them. */
export function applyUpdate(list: readonly KudosView[], u: KudosUpdate): KudosView[] {
  let changed = false;
  const next = list.map((k) => {
    if (k.id !== u.id) return k;
    changed = true;
    return { ...k, reactions: { ...u.reactions }, commentCount: u.commentCount };
  });
  return changed ? next : (list as KudosView[]);
}

/** Replaces one kudos with a fresher copy (the answer to my own reaction). */
export function replaceKudos(list: readonly KudosView[], k: KudosView): KudosView[] {
  return list.map((x) => (x.id === k.id ? k : x));
}

export function removeKudos(list: readonly KudosView[], id: string): KudosView[] {
  return list.some((k) => k.id === id) ? list.filter((k) => k.id !== id) : (list as KudosView[]);
}

export interface FeedFilter {
  team?: string;
  recipient?: string;
  giver?: string;
  behaviour?: string;
}

/** The same test the API applies, so live kudos only appear when they match the filters. */
export function matchesFilter(k: KudosView, f: FeedFilter): boolean {
  if (f.team && k.giver.team !== f.team && !k.recipients.some((r) => r.team === f.team)) return false;
  if (f.recipient && !k.recipients.some((r) => r.id === f.recipient)) return false;
  if (f.giver && k.giver.id !== f.giver) return false;
  if (f.behaviour && !k.behaviours.some((b) => b.key === f.behaviour)) return false;
  return true;
}

/** Whether two filters ask the API for the same kudos (a page read for one belongs to the other). */
export function sameFilter(a: FeedFilter, b: FeedFilter): boolean {
  return (a.team ?? '') === (b.team ?? '') && (a.recipient ?? '') === (b.recipient ?? '') && (a.giver ?? '') === (b.giver ?? '') && (a.behaviour ?? '') === (b.behaviour ?? '');
}
