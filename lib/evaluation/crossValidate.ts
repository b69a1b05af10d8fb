import { rawScores } from "../models/calibration";
import { modelFamily, type ExplainableClassifier } from "../models/serialize";
import { takeRows, type Matrix } from "../models/types";
import type { FoldPlan } from "./stratifiedGroupKFold";

/** Out-of-fold predictions of one parameter set, with the fold models kept for importance. */
export interface CvRun {
  /** Out-of-fold raw probabilities (class-weighted, uncalibrated). */
  oof: Float64Array;
  /** Out-of-fold raw scores, what a calibrator reads (decision function, or probability for the forest). */
  oofScore: Float64Array;
  /** Fold number of each row (its test fold). */
  foldOf: Int32Array;
  models: ExplainableClassifier[];
  fitSeconds: number[];
}

/** Per-row weights n / (2 nₖ) so both classes weigh the same in total (scikit-learn's "balanced"). */
export function balancedWeights(y: ArrayLike<number>): Float64Array {
  let nPos = 0;
  for (let i = 0; i < y.length; i++) nPos += y[i] === 1 ? 1 : 0;
  const n = y.length;
  const wp = nPos ? n / (2 * nPos) : 1;
  const wn = n - nPos ? n / (2 * (n - nPos)) : 1;
  return Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? wp : wn));
}

/**
 * The parameters a model family is created with: logistic regression weighs classes itself
 * (classWeight), the tree models get balanced sample weights from fitModel instead.
 */
export function modelParams(kind: string, params: Record<string, unknown>, classWeight: "balanced" | "none"): Record<string, unknown> {
  return kind === "lr" ? { ...params, classWeight: classWeight === "balanced" ? "balanced" : null } : { ...params };
}

/** Creates and fits one model of a kind on (X, y), with class weighting; resolves to the model. */
export async function fitModel(kind: string, params: Record<string, unknown>, X: Matrix, y: ArrayLike<number>, classWeight: "balanced" | "none"): Promise<ExplainableClassifier> {
  const model = modelFamily(kind).create(modelParams(kind, params, classWeight));
  const w = kind !== "lr" && classWeight === "balanced" ? balancedWeights(y) : undefined;
  await model.fit(X, y, w);
  return model;
}

/** Fits one model per fold on its training rows and predicts its test rows. */
export async function crossValidate(
  kind: string,
  params: Record<string, unknown>,
  X: Matrix,
  y: ArrayLike<number>,
  plan: FoldPlan,
  classWeight: "balanced" | "none",
): Promise<CvRun> {
  const oof = new Float64Array(X.nRows).fill(NaN);
  const oofScore = new Float64Array(X.nRows).fill(NaN);
  const foldOf = new Int32Array(X.nRows).fill(-1);
  const models: ExplainableClassifier[] = [];
  const fitSeconds: number[] = [];
  for (const [f, fold] of plan.folds.entries()) {
    const Xtr = takeRows(X, fold.train);
    const ytr = Float64Array.from(fold.train, (i) => y[i]);
    const t0 = process.hrtime.bigint();
    const model = await fitModel(kind, params, Xtr, ytr, classWeight);
    fitSeconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const Xte = takeRows(X, fold.test);
    const p = model.predictProba(Xte);
    const s = rawScores(model, Xte);
    fold.test.forEach((row, k) => {
      oof[row] = p[k];
      oofScore[row] = s[k];
      foldOf[row] = f;
    });
    models.push(model);
  }
  return { oof, oofScore, foldOf, models, fitSeconds };
}
