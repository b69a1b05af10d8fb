import { SparkifyError } from "../errors";

/**
 * A dense numeric matrix, row-major: value (i, j) is `data[i * nCols + j]`. NaN marks a missing value.
 * Every model takes this shape; tree models bin it column by column.
 */
export interface Matrix {
  readonly data: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
  /** Column names, in order. */
  readonly columns: readonly string[];
}

/** Builds a Matrix from rows of numbers (null/undefined become NaN). */
export function matrixFromRows(rows: ReadonlyArray<ReadonlyArray<number | null | undefined>>, columns?: readonly string[]): Matrix {
  const nRows = rows.length;
  const nCols = nRows > 0 ? rows[0].length : (columns?.length ?? 0);
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    const row = rows[i];
    if (row.length !== nCols) throw new SparkifyError("E_BAD_INPUT", `matrixFromRows: row ${i} has ${row.length} values, expected ${nCols}`);
    for (let j = 0; j < nCols; j++) {
      const v = row[j];
      data[i * nCols + j] = v === null || v === undefined ? NaN : v;
    }
  }
  return { data, nRows, nCols, columns: columns ?? Array.from({ length: nCols }, (_, j) => `x${j}`) };
}

/** The rows of `m` at `indices`, as a new Matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.nCols);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * m.nCols;
    out.set(m.data.subarray(src, src + m.nCols), k * m.nCols);
  }
  return { data: out, nRows: indices.length, nCols: m.nCols, columns: m.columns };
}

/**
 * A binary classifier in the scikit-learn idiom, as every estimator in lib/models is built: the constructor
 * stores its options as given (no checks, no defaults filled in); `fit` checks them against the class's
 * static `paramConstraints` (lib/models/params.ts) and its input (lib/models/checkInput.ts), learns, and
 * resolves to `this`; learned fields (names ending in `_`) are undefined until then, and predicting,
 * explaining or saving before `fit` throws a NotFittedError. `getParams()` gives the options in effect.
 *
 * `fit` is async for every estimator: logistic regression must wait for TensorFlow.js to initialise its
 * backend (the wasm binary loads asynchronously), so one rule, "await fit", holds for all of them.
 */
export interface Classifier {
  /** Fits on X (nSamples × nFeatures) and y (0/1), with optional per-sample weights; resolves to this. */
  fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Promise<this>;
  /** Probability of class 1 for each row of X. */
  predictProba(X: Matrix): Float64Array;
  /** A JSON-serialisable description, reloadable by the class's static fromJSON. */
  toJSON(): SavedModel;
  /** The options in effect: those given to the constructor, defaults filled in. */
  getParams(): object;
}

/** The saved form of a model: a kind tag, a format version, its parameters and learned state. */
export interface SavedModel {
  kind: string;
  formatVersion: number;
  params: Record<string, unknown>;
  state: Record<string, unknown>;
}
