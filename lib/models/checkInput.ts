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
 * Checks X, y and optional weights for a binary classifier: shapes agree, y is 0/1 with both classes
 * (counting only rows of positive weight), weights are finite and >= 0.
 */
export function checkTrainingData(estimator: string, X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): TrainingTargets {
  const n = X.nRows;
  if (X.data.length !== n * X.nCols) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: X.data has ${X.data.length} values, expected nRows × nCols = ${n * X.nCols}`);
  if (X.nCols < 1) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: X has no columns`);
  if (y.length !== n) throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: y has ${y.length} labels but X has ${n} rows`);
  if (sampleWeight && sampleWeight.length !== n) {
    throw new SparkifyError("E_BAD_INPUT", `${estimator}.fit: sampleWeight has ${sampleWeight.length} values but X has ${n} rows`);
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

/** Checks that X has the number of columns the model was fitted on. */
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

/** Reads `state.columns` (column names) and `state.nFeatures`, checking they agree. */
export function readColumns(state: Record<string, unknown>, estimator: string): string[] {
  const cols = state.columns;
  if (!Array.isArray(cols) || !cols.every((c) => typeof c === "string") || cols.length !== state.nFeatures || cols.length < 1) {
    throw new SparkifyError("E_MODEL_DAMAGED", `${estimator}.fromJSON: damaged model file: state.columns must be ${String(state.nFeatures)} column names`);
  }
  return cols as string[];
}
