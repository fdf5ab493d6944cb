// A tiny seedable PRNG (mulberry32) so fault injection can be replayed exactly from a seed.
// Not for anything security related.

/** A function returning uniformly distributed numbers in `[0, 1)`. */
export type RandomSource = () => number;

/** Creates a deterministic random source from a 32-bit seed. */
export function createSeededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
