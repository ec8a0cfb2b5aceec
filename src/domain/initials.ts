/**
 * Avatar initials: the first letter or digit of the first and of the last word ("Ada Lovelace" →
 * "AL", "-2 Minus" → "2M"), whole graphemes so accents and emoji are not cut in half. Punctuation
 * that opens a word is skipped; a word with no letter or digit gives its first grapheme.
 * Shared by the API's directory entries and the pages.
 */
let segmenter: Intl.Segmenter | null = null;

/** Code points where Intl.Segmenter is missing (Safari before 14.1): pages must still load there. */
function graphemesOf(word: string): string[] {
  if (typeof Intl.Segmenter !== 'function') return [...word];
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return [...segmenter.segment(word)].map((g) => g.segment);
}

function initialOf(word: string | undefined): string {
  if (!word) return '';
  const graphemes = graphemesOf(word);
  return graphemes.find((g) => /^[\p{L}\p{N}]/u.test(g)) ?? graphemes[0] ?? '';
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  return `${initialOf(words[0])}${words.length > 1 ? initialOf(words.at(-1)) : ''}`.toUpperCase();
}
