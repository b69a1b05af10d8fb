import type { Classifier, Matrix } from "../models/types";
import { meanStd, rocAuc } from "./metrics";
import { createRng, shuffleInPlace } from "../random";
import type { FeatureScore } from "./types";

/** Options of permutationImportance. */
export interface PermutationOptions {
  /** Source feature of each column; columns of one feature (one-hot) are permuted together. Default: the column names. */
  featureOf?: readonly string[];
  /** Shuffles per feature. Default 3. */
  nRepeats?: number;
  seed?: number;
  /** Score to drop (higher is better). Default ROC-AUC. */
  score?: (y: ArrayLike<number>, p: ArrayLike<number>) => number;
}

/**
 * Permutation importance: the drop in score when one feature's values are shuffled across rows
 * (all of its one-hot columns with the same permutation), averaged over nRepeats seeded shuffles.
 * Evaluate on held-out rows. Returns one entry per feature in first-seen order, with raw drops.
 */
export function permutationImportance(model: Classifier, X: Matrix, y: ArrayLike<number>, options: PermutationOptions = {}): Array<FeatureScore & { drops: number[] }> {
  const score = options.score ?? rocAuc;
  const featureOf = options.featureOf ?? X.columns;
  const nRepeats = options.nRepeats ?? 3;
  const rng = createRng(options.seed ?? 0);
  const base = score(y, model.predictProba(X));
  const features = [...new Set(featureOf)];
  const data = Float64Array.from(X.data);
  const work: Matrix = { data, nRows: X.nRows, nCols: X.nCols, columns: X.columns };
  const perm = Int32Array.from({ length: X.nRows }, (_, i) => i);
  const out: Array<FeatureScore & { drops: number[] }> = [];
  for (const feature of features) {
    const cols: number[] = [];
    featureOf.forEach((f, j) => f === feature && cols.push(j));
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      shuffleInPlace(perm, rng);
      for (const j of cols) for (let i = 0; i < X.nRows; i++) data[i * X.nCols + j] = X.data[perm[i] * X.nCols + j];
      drops.push(base - score(y, model.predictProba(work)));
    }
    for (const j of cols) for (let i = 0; i < X.nRows; i++) data[i * X.nCols + j] = X.data[i * X.nCols + j];
    const { mean, std } = meanStd(drops);
    out.push({ feature, mean, std, drops });
  }
  return out;
}
