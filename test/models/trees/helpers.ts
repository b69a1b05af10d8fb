// Small seeded data sets shared by the tree-model tests.
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import type { Matrix } from "../../../lib/models/types";

/** A Matrix from a row-major array. */
export function matrix(data: ArrayLike<number>, nCols: number): Matrix {
  const d = Float64Array.from(data);
  return { data: d, nRows: d.length / nCols, nCols, columns: Array.from({ length: nCols }, (_, j) => `f${j}`) };
}

/** n rows of nCols uniform(-1, 1) features and labels from `label(row)`. */
export function uniformData(n: number, nCols: number, seed: number, label: (row: Float64Array) => number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed, TREE_STREAM);
  const data = new Float64Array(n * nCols);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.subarray(i * nCols, (i + 1) * nCols);
    for (let j = 0; j < nCols; j++) row[j] = rng.next() * 2 - 1;
    y[i] = label(row);
  }
  return { X: matrix(data, nCols), y };
}

/** Fraction of rows where (p > 0.5) equals y. */
export function accuracy(p: Float64Array, y: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) ok++;
  return ok / p.length;
}

/** ROC-AUC by the rank-sum formula (ties get average ranks). */
export function auc(p: Float64Array, y: ArrayLike<number>): number {
  const idx = Array.from(p.keys()).sort((a, b) => p[a] - p[b]);
  let sumPos = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && p[idx[j]] === p[idx[i]]) j++;
    for (let k = i; k < j; k++) {
      if (y[idx[k]] === 1) {
        sumPos += (i + j + 1) / 2;
        nPos++;
      }
    }
    i = j;
  }
  const nNeg = idx.length - nPos;
  return (sumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
