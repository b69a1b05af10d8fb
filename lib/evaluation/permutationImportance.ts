import type { Classifier, Matrix } from "../models/types";
import { isPermutableModel } from "../models/trees/batchPredictor";
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
 * The tree ensembles re-predict through their ColumnPermuter (only the tree paths a shuffled column
 * touches are walked again); other models predict a working copy of X with the columns rewritten.
 * Both give the same drops.
 */
export function permutationImportance(model: Classifier, X: Matrix, y: ArrayLike<number>, options: PermutationOptions = {}): Array<FeatureScore & { drops: number[] }> {
  const score = options.score ?? rocAuc;
  const featureOf = options.featureOf ?? X.columns;
  const nRepeats = options.nRepeats ?? 3;
  const rng = createRng(options.seed ?? 0);
  const predictor = isPermutableModel(model) ? model.columnPermuter(X) : copyPermuter(model, X);
  const base = score(y, predictor.base());
  const features = [...new Set(featureOf)];
  const perm = Int32Array.from({ length: X.nRows }, (_, i) => i);
  const out: Array<FeatureScore & { drops: number[] }> = [];
  for (const feature of features) {
    const cols: number[] = [];
    featureOf.forEach((f, j) => f === feature && cols.push(j));
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      shuffleInPlace(perm, rng);
      drops.push(base - score(y, predictor.permuted(cols, perm)));
    }
    const { mean, std } = meanStd(drops);
    out.push({ feature, mean, std, drops });
  }
  return out;
}

/** Any model's predictions with columns permuted: one working copy of X, the columns rewritten and restored around each predictProba. */
function copyPermuter(model: Classifier, X: Matrix): { base(): Float64Array; permuted(cols: readonly number[], perm: Int32Array): Float64Array } {
  const data = Float64Array.from(X.data);
  const work: Matrix = { data, nRows: X.nRows, nCols: X.nCols, columns: X.columns };
  return {
    base: () => model.predictProba(X),
    permuted(cols, perm) {
      for (const j of cols) for (let i = 0; i < X.nRows; i++) data[i * X.nCols + j] = X.data[perm[i] * X.nCols + j];
      const p = model.predictProba(work);
      for (const j of cols) for (let i = 0; i < X.nRows; i++) data[i * X.nCols + j] = X.data[i * X.nCols + j];
      return p;
    },
  };
}
