/**
 * The directory's sort and search key for a person's name: compatibility-decomposed (NFKD),
 * combining marks dropped, lower-cased. "Émile" and "emile" share a key, so someone typing on a
 * keyboard without accents still finds their colleague, and "Émile" sorts among the E's instead of
 * after "Zed". NFKD rather than NFD also folds ligatures and full-width forms ("ﬁ" to "fi").
 * Letters that do not decompose (ø, ł, ß) are kept: they are letters of their own, not accents.
 *
 * Both stores call this for the stored key and for the search text, so they agree; changing it
 * means re-keying stored data (a sqlite migration, the Mongo backfill at init).
 */
export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
