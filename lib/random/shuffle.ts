import type { Rng } from "./rng";

/** Fisher–Yates shuffle of the whole array in place (from the last position down); returns the array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** Draws `k` of `values` without replacement into its first k places (a Fisher–Yates shuffle stopped after k steps). */
export function partialShuffle(values: Int32Array, k: number, rng: Rng): void {
  const n = values.length;
  for (let i = 0; i < Math.min(k, n - 1); i++) {
    const j = i + rng.nextInt(n - i);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
