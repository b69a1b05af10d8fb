import type { ProbabilityCalibrator } from "../models/calibration";
import type { ExplainableClassifier } from "../models/serialize";
import type { Matrix } from "../models/types";
import { treeShap, treesOfModel } from "./treeShap";

/**
 * Exact additive contributions to a model's raw score (what its calibrator reads): TreeSHAP for the
 * forest (probability scale, the trees' average) and the boosted trees (log-odds, base score in the
 * bias); logistic regression's exact linear terms coefᵢ·(xᵢ − meanᵢ) (log-odds; a missing value is
 * imputed at the mean, so it contributes 0). Other registered kinds give their own contributions().
 * @returns nRows × (nCols + 1), bias last; each row sums to the raw score
 */
export function rawContributions(kind: string, model: ExplainableClassifier, X: Matrix): Float64Array {
  if (kind === "rf" || kind === "gbt") {
    const { trees, baseScore, nTrees } = cachedTrees(model);
    return kind === "rf" ? treeShap(trees, X, 1 / Math.max(1, nTrees), 0) : treeShap(trees, X, 1, baseScore);
  }
  return model.contributions(X);
}

const treeCache = new WeakMap<object, ReturnType<typeof treesOfModel>>();

function cachedTrees(model: ExplainableClassifier): ReturnType<typeof treesOfModel> {
  let t = treeCache.get(model);
  if (!t) {
    t = treesOfModel(model.toJSON());
    treeCache.set(model, t);
  }
  return t;
}

/**
 * Turns raw-score contributions into effects on the calibrated probability, in probability points
 * (+0.031 = 3.1 points). With s the raw score, s₀ the bias (the expected raw score on the training
 * data) and C the calibrator, a row's calibrated probability C(s) differs from the baseline C(s₀) by
 * C(s) − C(s₀); each feature gets the share of that difference its contribution φⱼ has of s − s₀ =
 * Σ φⱼ, i.e. effectⱼ = φⱼ · (C(s) − C(s₀)) / (s − s₀), the secant slope of C between the baseline and
 * the row's score (its derivative when s = s₀). The effects add up exactly to C(s) − C(s₀) and, C
 * being non-decreasing, keep each contribution's sign: a feature that raises the raw score raises the
 * probability. The same rule applies to every model kind.
 * @returns effects (nRows × nCols), the baseline probability per row, and the calibrated probability per row
 */
export function probabilityEffects(contrib: Float64Array, nCols: number, calibrator: ProbabilityCalibrator): { effects: Float64Array; baseline: Float64Array; probability: Float64Array } {
  const width = nCols + 1;
  const nRows = contrib.length / width;
  const s = new Float64Array(nRows);
  const s0 = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let sum = 0;
    for (let j = 0; j <= nCols; j++) sum += contrib[i * width + j];
    s[i] = sum;
    s0[i] = contrib[i * width + nCols];
  }
  const probability = calibrator.predictProba(s);
  const baseline = calibrator.predictProba(s0);
  const effects = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const ds = s[i] - s0[i];
    let slope: number;
    if (Math.abs(ds) > 1e-9 * Math.max(1, Math.abs(s0[i]))) slope = (probability[i] - baseline[i]) / ds;
    else {
      const h = 1e-4 * Math.max(1, Math.abs(s0[i]));
      const [lo, hi] = calibrator.predictProba([s0[i] - h, s0[i] + h]);
      slope = (hi - lo) / (2 * h);
    }
    for (let j = 0; j < nCols; j++) effects[i * nCols + j] = slope * contrib[i * width + j];
  }
  return { effects, baseline, probability };
}
