/**
 * Focuses an element once the render under way has happened: the control the keyboard was on is
 * going away, or the one to carry on from is only now being drawn. `target` is an element id, or
 * finds the element at that moment. If the keyboard has moved on by then (someone quick, or a
 * busy page whose frame came late), focus stays where they put it: pulling it back would take
 * them out of the field they are typing in.
 */
export function focusSoon(target: string | (() => HTMLElement | null | undefined)): void {
  const from = document.activeElement;
  requestAnimationFrame(() => {
    const now = document.activeElement;
    if (now && now !== from && now !== document.body) return;
    (typeof target === 'string' ? document.getElementById(target) : target())?.focus();
  });
}
