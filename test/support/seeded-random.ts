/** Mulberry32: a small, fast, seeded generator of numbers in [0, 1), so a run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * For in-memory fakes of a store that several processes share: `op(apply)` runs `apply` at a
 * random instant between the call's request and its answer (a 0-2 ms pause before and after,
 * drawn from `random`), so concurrent callers interleave differently for every seed.
 */
export function atRandomInstant(random: () => number): <T>(apply: () => T) => Promise<T> {
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * 3)));
  return async <T>(apply: () => T): Promise<T> => {
    await pause();
    const result = apply();
    await pause();
    return result;
  };
}
