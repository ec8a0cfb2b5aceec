/**
 * Focuses an element once the render under way has happened: the control the keyboard was on is
 * going away, or the one to carry on from is only now being drawn. `target` is an element id, or
 * finds the element at that moment.
 */
export function focusSoon(target: string | (() => HTMLElement | null | undefined)): void {
  requestAnimationFrame(() => (typeof target === 'string' ? document.getElementById(target) : target())?.focus());
}
