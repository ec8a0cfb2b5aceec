import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';

/** Below this the text would no longer read from across a room; what is left is clipped at the bottom. */
const SMALLEST = 0.4;
const STEP = 0.05;

/**
 * Shrinks the hero's type (the `--tv-fit` factor display.css multiplies its sizes by) until the
 * whole kudos fits its box. A fixed size cannot suit both "Thanks!" to one person and a
 * 1000-character message to twenty colleagues with long names: the latter used to overflow the
 * box and hide the giver, the behaviours and the whole message. Runs before paint, and again
 * when the screen changes size.
 */
export function useFitHero(ref: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      let scale = 1;
      el.style.setProperty('--tv-fit', '1');
      while (el.scrollHeight > el.clientHeight + 1 && scale > SMALLEST) {
        scale = Math.max(SMALLEST, scale - STEP);
        el.style.setProperty('--tv-fit', scale.toFixed(2));
      }
    };
    fit();
    addEventListener('resize', fit);
    return () => removeEventListener('resize', fit);
  }, []);
}
