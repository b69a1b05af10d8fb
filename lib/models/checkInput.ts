import { SparkifyError } from "../errors";
import type { Matrix, SavedModel } from "./types";

/** Validated training labels and weights. */
export interface TrainingTargets {
  /** 0/1 labels. */
  readonly y: Uint8Array;
  /** Sample weights (all 1 when none were given). */
  readonly w: Float64Array;
}

/**
 * Checks 0/1 labels for `nRows` rows and optional weights, for any estimator's fit: lengths agree, every
 * label is 0 or 1, weights are finite and >= 0, and both classes occur among rows of positive weight
 * (E_BAD_INPUT naming the estimator and the first bad row otherwise).
 */
export function checkTargets(estimator: string, y: ArrayLike<number>, nRows: number, sampleWeight?: ArrayLike<number>, rowsName = "X"): TrainingTargets {
  const n = nRows;
  if (y.length !== n) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: y has ${y.length} labels but ${rowsName} has ${n} rows`);
  if (sampleWeight && sampleWeight.length !== n) {
    throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: sampleWeight has ${sampleWeight.length} values but ${rowsName} has ${n} rows`);
  }
  const yy = new Uint8Array(n);
  const w = new Float64Array(n);
  const seen = [0, 0];
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v !== 0 && v !== 1) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: y[${i}] = ${v}; labels must be 0 or 1`);
    const wi = sampleWeight ? sampleWeight[i] : 1;
    if (!Number.isFinite(wi) || wi < 0) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: sampleWeight[${i}] = ${wi}; weights must be finite and >= 0`);
    yy[i] = v;
    w[i] = wi;
    if (wi > 0) seen[v]++;
  }
  if (seen[0] === 0 || seen[1] === 0) {
    throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: y needs both classes among rows of positive weight (got ${seen[0]} zeros, ${seen[1]} ones)`);
  }
  return { y: yy, w };
}

/**
 * The one input check of every classifier's fit: X is a whole nRows × nCols matrix with at least one column
 * and no ±Infinity (NaN marks a missing value and is allowed), then the labels and weights as checkTargets.
 * @example
 * import { checkTrainingData } from "./lib/models/checkInput";
 * import { matrixFromRows } from "./lib/models";
 * const t = checkTrainingData("Demo", matrixFromRows([[1], [NaN], [3]]), [0, 1, 0]);
 * if (t.w.join() !== "1,1,1") throw new Error("weights default to 1");
 */
export function checkTrainingData(estimator: string, X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): TrainingTargets {
  const n = X.nRows;
  if (X.data.length !== n * X.nCols) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: X.data has ${X.data.length} values, expected nRows × nCols = ${n * X.nCols}`);
  if (X.nCols < 1) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: X has no columns`);
  for (let k = 0; k < X.data.length; k++) {
    const v = X.data[k];
    if (v === Infinity || v === -Infinity) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: X[${Math.floor(k / X.nCols)}, "${X.columns[k % X.nCols]}"] is ${v}; use NaN for a missing value`);
  }
  return checkTargets(estimator, y, n, sampleWeight);
}

/** Checks that X is whole and has the number of columns the model was fitted on. */
export function checkPredictMatrix(estimator: string, X: Matrix, nFeatures: number): void {
  if (X.nCols !== nFeatures) throw new SparkifyError("E_BAD_INPUT", `${estimator}: X has ${X.nCols} columns, the model was fitted on ${nFeatures}`);
  if (X.data.length !== X.nRows * X.nCols) throw new SparkifyError("E_BAD_INPUT", `${estimator}: X.data has ${X.data.length} values, expected ${X.nRows * X.nCols}`);
}

/** Checks a saved model's kind and format version and that params and state are objects. */
export function checkSavedModel(saved: unknown, kind: string, formatVersion: number, estimator: string): SavedModel {
  if (typeof saved !== "object" || saved === null) throw new SparkifyError("E_MODEL_DAMAGED", `${estimator}.fromJSON: expected a saved model object, got ${saved === null ? "null" : typeof saved}`);
  const s = saved as Partial<SavedModel>;
  if (s.kind !== kind) throw new SparkifyError("E_MODEL_KIND", `${estimator}.fromJSON: this is a "${String(s.kind)}" model, not "${kind}"`);
  if (s.formatVersion !== formatVersion) {
    throw new SparkifyError("E_MODEL_VERSION", `${estimator}.fromJSON: format version ${String(s.formatVersion)} is not supported (this build reads version ${formatVersion})`);
  }
  for (const k of ["params", "state"] as const) {
    if (typeof s[k] !== "object" || s[k] === null || Array.isArray(s[k])) throw new SparkifyError("E_MODEL_DAMAGED", `${estimator}.fromJSON: damaged model file: "${k}" is missing or not an object`);
  }
  return s as SavedModel;
}

/** Reads `state.columns`: `nFeatures` column names (by default `state.nFeatures`, where the format stores it). */
export function readColumns(state: Record<string, unknown>, estimator: string, nFeatures: unknown = state.nFeatures): string[] {
  const cols = state.columns;
  if (!Array.isArray(cols) || !cols.every((c) => typeof c === "string") || cols.length !== nFeatures || cols.length < 1) {
    throw new SparkifyError("E_MODEL_DAMAGED", `${estimator}.fromJSON: damaged model file: state.columns must be ${String(nFeatures)} column names`);
  }
  return cols as string[];
}

/** Checks a saved model's parameters against the estimator's table; bad ones mean a damaged file (E_MODEL_DAMAGED). */
export function checkSavedParams(estimator: string, params: object, check: (p: object) => void): void {
  try {
    check(params);
  } catch (e) {
    throw new SparkifyError("E_MODEL_DAMAGED", `${estimator}.fromJSON: damaged model file: ${(e as Error).message}`);
  }
}
