/**
 * Focuses an element once the render under way has happened: the control the keyboard was on is
 * going away, or the one to carry on from is only now being drawn. `target` is an element id, or
 * finds the element at that moment. If by then the keyboard has moved into a field to type in
 * (someone quick, or a busy page whose frame came late), focus stays there: pulling it back would
 * take them out of what they are typing. Any other move (a closing dialog handing focus back to
 * the button that opened it, say) is overruled as before.
 */
export function focusSoon(target: string | (() => HTMLElement | null | undefined)): void {
  const from = document.activeElement;
  requestAnimationFrame(() => {
    const now = document.activeElement;
    if (now && now !== from && now.matches(TEXT_ENTRY)) return;
    (typeof target === 'string' ? document.getElementById(target) : target())?.focus();
  });
}

const TEXT_ENTRY = 'input:not([type="button"], [type="submit"], [type="reset"], [type="checkbox"], [type="radio"]), textarea, select, [contenteditable]:not([contenteditable="false"])';
