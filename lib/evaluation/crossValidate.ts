import { rawScores, scoreKindOf } from "../models/calibration";
import { balancedWeights } from "../models/classWeights";
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

/**
 * The parameters a model family is created with: logistic regression weighs classes itself
 * (classWeight), the tree models get balanced sample weights from fitModel instead.
 */
export function modelParams(kind: string, params: Record<string, unknown>, classWeight: "balanced" | "none"): Record<string, unknown> {
  return kind === "lr" ? { ...params, classWeight: classWeight === "balanced" ? "balanced" : null } : { ...params };
}

/**
 * Creates and fits one model of a kind on (X, y), with class weighting; resolves to the model.
 * `threads` caps the forest's tree threads (inside a fold worker the other cores are busy with other
 * folds); the forest grows the same trees for any thread count, so the fit does not depend on it.
 */
export async function fitModel(
  kind: string,
  params: Record<string, unknown>,
  X: Matrix,
  y: ArrayLike<number>,
  classWeight: "balanced" | "none",
  threads?: number,
): Promise<ExplainableClassifier> {
  const threadCap = kind === "rf" && threads !== undefined ? { nThreads: threads } : {};
  const model = modelFamily(kind).create({ ...modelParams(kind, params, classWeight), ...threadCap });
  const w = kind !== "lr" && classWeight === "balanced" ? balancedWeights(y) : undefined;
  await model.fit(X, y, w);
  return model;
}

/** What one fold of a CV run gives: the model and its test rows' raw probabilities and raw scores. */
export interface FoldFit {
  model: ExplainableClassifier;
  /** Raw probabilities of the fold's test rows, in fold.test order. */
  proba: Float64Array;
  /** Raw scores (what a calibrator reads) of the fold's test rows. */
  score: Float64Array;
  fitSeconds: number;
}

/** Fits one fold (its training rows) and predicts its test rows: the unit both the serial and the worker-thread CV run. */
export async function fitFold(
  kind: string,
  params: Record<string, unknown>,
  X: Matrix,
  y: ArrayLike<number>,
  fold: { train: Int32Array; test: Int32Array },
  classWeight: "balanced" | "none",
  threads?: number,
): Promise<FoldFit> {
  const Xtr = takeRows(X, fold.train);
  const ytr = Float64Array.from(fold.train, (i) => y[i]);
  const t0 = process.hrtime.bigint();
  const model = await fitModel(kind, params, Xtr, ytr, classWeight, threads);
  const fitSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const Xte = takeRows(X, fold.test);
  const proba = model.predictProba(Xte);
  // A model scored by its probability (the forest) would predict the same doubles twice.
  const score = scoreKindOf(model) === "predict_proba" ? proba.slice() : rawScores(model, Xte);
  return { model, proba, score, fitSeconds };
}

/** Pools per-fold fits (in fold order) into a CvRun. */
export function assembleCvRun(nRows: number, plan: FoldPlan, fits: readonly FoldFit[]): CvRun {
  const oof = new Float64Array(nRows).fill(NaN);
  const oofScore = new Float64Array(nRows).fill(NaN);
  const foldOf = new Int32Array(nRows).fill(-1);
  plan.folds.forEach((fold, f) => {
    const { proba, score } = fits[f];
    fold.test.forEach((row, k) => {
      oof[row] = proba[k];
      oofScore[row] = score[k];
      foldOf[row] = f;
    });
  });
  return { oof, oofScore, foldOf, models: fits.map((r) => r.model), fitSeconds: fits.map((r) => r.fitSeconds) };
}

/** Fits one model per fold on its training rows and predicts its test rows, one fold after another on this thread (CvWorkerPool runs them in parallel, with the same results). */
export async function crossValidate(
  kind: string,
  params: Record<string, unknown>,
  X: Matrix,
  y: ArrayLike<number>,
  plan: FoldPlan,
  classWeight: "balanced" | "none",
): Promise<CvRun> {
  const fits: FoldFit[] = [];
  for (const fold of plan.folds) fits.push(await fitFold(kind, params, X, y, fold, classWeight));
  return assembleCvRun(X.nRows, plan, fits);
}
