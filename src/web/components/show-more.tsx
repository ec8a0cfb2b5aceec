import { useState } from 'preact/hooks';
import { focusSoon } from '../lib/focus.js';

/** Rows or names drawn at first, and added by each "Show more". */
export const SHOWN_PER_STEP = 100;

/**
 * How many of a long list to draw. A company of 10,000 people makes lists of 10,000 (everyone's
 * scores, everyone not recognised yet in a new period); drawing them all froze the page for
 * seconds, and nobody reads past the first screens without searching. `more` draws the next step
 * and takes the keyboard to the first item it drew, found by `nth` once it is drawn: the button
 * goes away when nothing is left.
 */
export function useShownCount(nth: (index: number) => HTMLElement | null | undefined): { limit: number; more(): void } {
  const [limit, setLimit] = useState(SHOWN_PER_STEP);
  return {
    limit,
    more() {
      setLimit(limit + SHOWN_PER_STEP);
      focusSoon(() => nth(limit));
    },
  };
}

/**
 * "Showing 100 of 10,000 people." with the button that draws the next step; nothing once all are
 * shown. `list` tells a screen reader which list the button is for when a page has two.
 */
export function ShowMore({ shown, total, noun, hint, list, onMore, testId }: { shown: number; total: number; noun: string; hint?: string; list?: string; onMore(): void; testId?: string }) {
  if (shown >= total) return null;
  return (
    <div class="table-more">
      <p class="hint" data-testid={testId}>
        Showing {shown.toLocaleString('en')} of {total.toLocaleString('en')} {noun}.{hint ? ` ${hint}` : ''}
      </p>
      <button type="button" class="button-secondary" onClick={onMore}>
        Show {Math.min(SHOWN_PER_STEP, total - shown)} more
        {list && <span class="visually-hidden"> ({list})</span>}
      </button>
    </div>
  );
}
