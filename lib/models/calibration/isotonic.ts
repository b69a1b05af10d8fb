import { SparkifyError } from "../../errors";
/** A fitted isotonic (non-decreasing) step function, as the knots of a piecewise-linear interpolant. */
export interface IsotonicKnots {
  x: number[];
  y: number[];
}

/**
 * Weighted isotonic regression of y on x (pool adjacent violators), as scikit-learn's IsotonicRegression
 * with increasing=True: equal x are merged first (weighted mean of y), then violating blocks pooled; only
 * the first and last point of each constant block are kept as knots (the interpolant is unchanged).
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): IsotonicKnots {
  const n = x.length;
  if (n === 0) throw new SparkifyError("E_EMPTY_INPUT", "fitIsotonic: no points");
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j] || i - j);
  // merge ties in x
  const ux: number[] = [];
  const uy: number[] = [];
  const uw: number[] = [];
  for (const i of order) {
    const wi = w ? w[i] : 1;
    if (ux.length > 0 && ux[ux.length - 1] === x[i]) {
      const k = ux.length - 1;
      uy[k] = (uy[k] * uw[k] + y[i] * wi) / (uw[k] + wi || 1);
      uw[k] += wi;
    } else {
      ux.push(x[i]);
      uy.push(y[i]);
      uw.push(wi);
    }
  }
  // pool adjacent violators over blocks (value, weight, length)
  const bv: number[] = [];
  const bw: number[] = [];
  const bn: number[] = [];
  for (let k = 0; k < ux.length; k++) {
    bv.push(uy[k]);
    bw.push(uw[k]);
    bn.push(1);
    while (bv.length > 1 && bv[bv.length - 2] > bv[bv.length - 1]) {
      const v2 = bv.pop() as number;
      const w2 = bw.pop() as number;
      const n2 = bn.pop() as number;
      const last = bv.length - 1;
      const wt = bw[last] + w2;
      bv[last] = wt > 0 ? (bv[last] * bw[last] + v2 * w2) / wt : (bv[last] + v2) / 2;
      bw[last] = wt;
      bn[last] += n2;
    }
  }
  const fitted: number[] = [];
  bv.forEach((v, b) => {
    for (let k = 0; k < bn[b]; k++) fitted.push(v);
  });
  // keep the ends of each constant run
  const kx: number[] = [];
  const ky: number[] = [];
  for (let k = 0; k < ux.length; k++) {
    const keep = k === 0 || k === ux.length - 1 || fitted[k] !== fitted[k - 1] || fitted[k] !== fitted[k + 1];
    if (keep) {
      kx.push(ux[k]);
      ky.push(fitted[k]);
    }
  }
  return { x: kx, y: ky };
}

/**
 * Evaluates the isotonic fit: linear interpolation between knots, clipped to the end values outside them
 * (scikit-learn's out_of_bounds="clip"); a single knot is a constant.
 */
export function applyIsotonic(k: IsotonicKnots, f: ArrayLike<number>): Float64Array {
  const { x, y } = k;
  const m = x.length;
  return Float64Array.from({ length: f.length }, (_, i) => {
    const v = f[i];
    if (!(v > x[0])) return y[0];
    if (v >= x[m - 1]) return y[m - 1];
    let lo = 0;
    let hi = m - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (x[mid] <= v) lo = mid;
      else hi = mid;
    }
    const span = x[hi] - x[lo];
    return span > 0 ? y[lo] + ((v - x[lo]) / span) * (y[hi] - y[lo]) : y[hi];
  });
}
