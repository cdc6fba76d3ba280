/** A small seeded PRNG, so a benchmark archive is the same on every machine and every run. */

export type Rng = () => number;

/** mulberry32: 32-bit state, fast, good enough for test data (not for anything secret). */
export function mulberry32(seed: number): Rng {
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
 * A seed for item `index` of a run seeded with `seed`: each post gets its own stream, so post i is the same
 * whether 2,000 or 100,000 posts are generated, and posts added later do not disturb earlier ones.
 */
export function seedFor(seed: number, index: number, salt = 0): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35) ^ Math.imul(salt + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An integer in [min, max]. */
export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

export const chance = (rng: Rng, p: number): boolean => rng() < p;

export function pick<T>(rng: Rng, list: readonly T[]): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(rng() * list.length)] as T;
}

/** Favours the start of the list (power 2: the first tenth gets about a third of the picks), as real tag use does. */
export function pickSkewed<T>(rng: Rng, list: readonly T[], power = 2): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[Math.floor(rng() ** power * list.length)] as T;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
