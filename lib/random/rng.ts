import { mulberry32 } from "./mulberry32";

/** A seeded pseudo-random generator: floats in [0, 1) and integers in [0, n). */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  nextInt(n: number): number;
}

/**
 * A seeded generator (mulberry32); the same arguments always give the same sequence. `createRng(seed)` is
 * the seed's main stream; `createRng(seed, stream)` an independent stream hashed from (seed, stream), so
 * that, say, tree k of a forest draws its own numbers whichever thread grows it.
 * @example
 * import { createRng } from "./lib/random";
 * const rng = createRng(42);
 * const u = rng.next(); // in [0, 1)
 * const die = 1 + rng.nextInt(6); // 1..6
 * if (!(u >= 0 && u < 1) || die < 1 || die > 6) throw new Error("out of range");
 * if (createRng(42).next() !== u) throw new Error("not reproducible");
 */
export function createRng(seed: number, stream?: number): Rng {
  // The golden-ratio offset keeps seed 0 away from mulberry32's all-zero state.
  const next = mulberry32(stream === undefined ? (seed >>> 0) ^ 0x9e3779b9 : mixSeed(seed, stream));
  return { next, nextInt: (n: number) => Math.floor(next() * n) };
}

/** A 32-bit state derived from (seed, k): distinct k give unrelated streams of the same seed. */
export function mixSeed(seed: number, k: number): number {
  // Hash both halves of the seed so that large or fractional seeds still spread out.
  let h = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
  h = Math.imul(h ^ (k >>> 0) ^ 0x85ebca6b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h + k, 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}
