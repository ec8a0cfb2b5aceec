/**
 * The number typed into a field, or null when there is none. `Number('')` is 0, so an emptied
 * field (or one holding something a number input cannot read, like "1e", which reads as "")
 * would otherwise be sent as 0: a rule such as "minimum distinct givers" silently set to zero.
 */
export function parseNumberInput(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export const ENTER_A_NUMBER = 'Enter a number.';
