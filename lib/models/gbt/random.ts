import { mulberry32 } from "../../random";

/** A small seeded pseudo-random generator (mulberry32): reproducible row and column sampling. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  nextInt(n: number): number;
}

/** Creates a seeded generator; the same seed always gives the same sequence. */
export function createRng(seed: number): Rng {
  const next = mulberry32(mixSeed(seed, 0x9e3779b9));
  return { next, nextInt: (n: number) => Math.floor(next() * n) };
}

/** A 32-bit seed derived from (seed, k), so tree k gets its own stream whatever order trees are built in. */
export function mixSeed(seed: number, k: number): number {
  // Hash both halves of the seed so that large or fractional seeds still spread out.
  let h = (Math.floor(seed) ^ Math.floor(seed / 4294967296)) >>> 0;
  h = Math.imul(h ^ (k >>> 0) ^ 0x85ebca6b, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h + k, 0x27d4eb2f);
  h ^= h >>> 15;
  return h >>> 0;
}

/** The first `k` entries of a seeded Fisher–Yates shuffle of `values` (shuffles `values` in place). */
export function partialShuffle(values: Int32Array, k: number, rng: Rng): void {
  const n = values.length;
  for (let i = 0; i < Math.min(k, n - 1); i++) {
    const j = i + rng.nextInt(n - i);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
