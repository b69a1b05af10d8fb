import type { Matrix } from "../types";

/** Column means and scales of a Matrix, ignoring NaN; a constant or all-missing column gets scale 1. */
export interface Standardization {
  mean: Float64Array;
  scale: Float64Array;
}

/** Computes per-column mean and population standard deviation over the non-missing values. */
export function fitStandardization(X: Matrix): Standardization {
  const { nRows, nCols, data } = X;
  const mean = new Float64Array(nCols);
  const m2 = new Float64Array(nCols);
  const count = new Float64Array(nCols);
  // Welford per column: stable for large, shifted values (timestamps, seconds of listening)
  for (let i = 0; i < nRows; i++) {
    const off = i * nCols;
    for (let j = 0; j < nCols; j++) {
      const v = data[off + j];
      if (v !== v) continue;
      const c = ++count[j];
      const d = v - mean[j];
      mean[j] += d / c;
      m2[j] += d * (v - mean[j]);
    }
  }
  const scale = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) {
    const sd = count[j] > 0 ? Math.sqrt(m2[j] / count[j]) : 0;
    scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
  }
  return { mean, scale };
}

/** (x − mean) / scale as float32 (what TensorFlow.js computes in), with NaN imputed to the mean (0). */
export function standardizeRows(X: Matrix, s: Standardization, withIntercept: boolean): Float32Array {
  const { nRows, nCols, data } = X;
  const width = nCols + (withIntercept ? 1 : 0);
  const out = new Float32Array(nRows * width);
  for (let i = 0; i < nRows; i++) {
    const src = i * nCols;
    const dst = i * width;
    for (let j = 0; j < nCols; j++) {
      const v = data[src + j];
      out[dst + j] = v !== v ? 0 : (v - s.mean[j]) / s.scale[j];
    }
    if (withIntercept) out[dst + nCols] = 1;
  }
  return out;
}
