import type { Tensor2D } from "@tensorflow/tfjs";
import { tf } from "../backend"; // loads TensorFlow.js on first use

/** A penalised, weighted logistic loss on a design matrix whose last column is the intercept. */
export interface LogisticProblem {
  /** n × p design (standardised features, then a column of ones), float32 row-major. */
  design: Float32Array;
  nRows: number;
  /** p = features + 1 (intercept last, never penalised). */
  nParams: number;
  y: Float32Array;
  /** Sample weights normalised to sum 1, so the loss is a weighted mean. */
  w: Float32Array;
  /** L2 strength per unit of (normalised) loss: (l2 / Σw) · ½‖β‖². */
  l2: number;
  /** L1 strength per unit of (normalised) loss: (l1 / Σw) · ‖β‖₁. */
  l1: number;
  maxIter: number;
  tol: number;
  /** Step size of the proximal-gradient solver; default 1 / Lipschitz constant. */
  learningRate?: number;
  /** Starting point (length p), e.g. zeros with the intercept at the prior log-odds. */
  init: Float64Array;
}

/** What a solver returns: the coefficients (intercept last), iterations run, and the objective path. */
export interface SolverResult {
  beta: Float64Array;
  nIter: number;
  converged: boolean;
  lossHistory: number[];
}

/** Tensors of a problem kept on the backend for the whole fit; dispose() frees them. */
interface Tensors {
  X: Tensor2D;
  y: Tensor2D;
  w: Tensor2D;
  n: number;
  dispose(): void;
}

function upload(p: LogisticProblem): Tensors {
  const X = tf.tensor2d(p.design, [p.nRows, p.nParams], "float32");
  const y = tf.tensor2d(p.y, [p.nRows, 1], "float32");
  const w = tf.tensor2d(p.w, [p.nRows, 1], "float32");
  return { X, y, w, n: p.nRows, dispose: () => tf.dispose([X, y, w]) };
}

/** Runs fn in a tensor scope and frees every tensor it made; unlike tf.tidy it may return plain arrays. */
function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

function column(beta: Float64Array): Tensor2D {
  return tf.tensor2d(Float32Array.from(beta), [beta.length, 1]);
}

/**
 * Xᵀ v as (vᵀ X): a [1, n] × [n, p] product. On the wasm backend this layout is ~50× faster than
 * matMul(X, v, transposeA), and a reshape of a column vector is free.
 */
function tMatVec(t: Tensors, v: Tensor2D): Float64Array {
  return Float64Array.from(tf.matMul(tf.reshape(v, [1, t.n]), t.X).dataSync());
}

/** Weighted mean log loss Σ w (softplus(z) − y z) and, optionally, its gradient Xᵀ w (σ(z) − y). */
function lossGrad(t: Tensors, beta: Float64Array, withGrad: boolean): { loss: number; grad?: Float64Array } {
  return scoped(() => {
    const z = tf.matMul(t.X, column(beta));
    const loss = tf.sum(tf.mul(t.w, tf.sub(tf.softplus(z), tf.mul(t.y, z)))).dataSync()[0];
    if (!withGrad) return { loss };
    return { loss, grad: tMatVec(t, tf.mul(t.w, tf.sub(tf.sigmoid(z), t.y))) };
  });
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** Objective and gradient with the L2 term on every coefficient but the intercept (last). */
function l2Objective(t: Tensors, beta: Float64Array, l2: number): { f: number; g: Float64Array } {
  const { loss, grad } = lossGrad(t, beta, true);
  const g = grad as Float64Array;
  let pen = 0;
  for (let j = 0; j < beta.length - 1; j++) {
    pen += beta[j] * beta[j];
    g[j] += l2 * beta[j];
  }
  return { f: loss + 0.5 * l2 * pen, g };
}

/**
 * L-BFGS (10 correction pairs, Armijo backtracking) for the L2-penalised weighted logistic loss. The
 * n-sized work (X β, σ, Xᵀ r) runs on the TensorFlow.js backend; the p-sized two-loop recursion in
 * float64. Early stopping: quits after three steps in a row that each improve the objective by less
 * than tol (relative to max(1, |f|)), or when the largest gradient entry falls below tol.
 */
export function lbfgsSolve(p: LogisticProblem): SolverResult {
  const t = upload(p);
  try {
    const m = 10;
    const S: Float64Array[] = [];
    const Y: Float64Array[] = [];
    let beta = Float64Array.from(p.init);
    let { f, g } = l2Objective(t, beta, p.l2);
    const history = [f];
    let converged = false;
    let stalled = 0;
    let it = 0;
    for (; it < p.maxIter; it++) {
      if (maxAbs(g) < p.tol) {
        converged = true;
        break;
      }
      const d = twoLoop(g, S, Y);
      let slope = dot(g, d);
      if (!(slope < 0)) {
        // not a descent direction (float32 noise): restart from steepest descent
        S.length = 0;
        Y.length = 0;
        d.set(g.map((x) => -x));
        slope = dot(g, d);
      }
      let step = it === 0 && S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
      let next: { f: number; g: Float64Array } | undefined;
      let cand = beta;
      for (let ls = 0; ls < 40; ls++) {
        cand = beta.map((b, j) => b + step * d[j]);
        const trial = l2Objective(t, cand, p.l2);
        if (trial.f <= f + 1e-4 * step * slope) {
          next = trial;
          break;
        }
        step /= 2;
      }
      if (!next) {
        converged = true; // no decrease possible at float32 precision: at the optimum
        break;
      }
      const s = cand.map((b, j) => b - beta[j]);
      const yv = next.g.map((x, j) => x - g[j]);
      if (dot(s, yv) > 1e-12) {
        S.push(s);
        Y.push(yv);
        if (S.length > m) {
          S.shift();
          Y.shift();
        }
      }
      const improved = f - next.f;
      beta = cand;
      f = next.f;
      g = next.g;
      history.push(f);
      // early stopping: three steps in a row each improving the objective by less than tol (relative)
      stalled = improved < p.tol * Math.max(1, Math.abs(f)) ? stalled + 1 : 0;
      if (stalled >= 3) {
        converged = true;
        it++;
        break;
      }
    }
    return { beta, nIter: it, converged, lossHistory: history };
  } finally {
    t.dispose();
  }
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j]));
  return m;
}

/** The L-BFGS direction −H g from the stored correction pairs. */
function twoLoop(g: Float64Array, S: Float64Array[], Y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha = new Float64Array(S.length);
  for (let k = S.length - 1; k >= 0; k--) {
    const rho = 1 / dot(Y[k], S[k]);
    alpha[k] = rho * dot(S[k], q);
    for (let j = 0; j < q.length; j++) q[j] -= alpha[k] * Y[k][j];
  }
  if (S.length > 0) {
    const last = S.length - 1;
    const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
    for (let j = 0; j < q.length; j++) q[j] *= gamma;
  }
  for (let k = 0; k < S.length; k++) {
    const rho = 1 / dot(Y[k], S[k]);
    const b = rho * dot(Y[k], q);
    for (let j = 0; j < q.length; j++) q[j] += S[k][j] * (alpha[k] - b);
  }
  for (let j = 0; j < q.length; j++) q[j] = -q[j];
  return q;
}

/** Largest eigenvalue of Xᵀ W X by power iteration, with matrix-vector products on the backend. */
function gramNorm(t: Tensors, p: number): number {
  let v = new Float64Array(p).fill(1 / Math.sqrt(p));
  let lambda = 0;
  for (let it = 0; it < 50; it++) {
    const u = scoped(() => tMatVec(t, tf.mul(t.w, tf.matMul(t.X, column(v)))));
    const norm = Math.sqrt(dot(u, u));
    if (norm === 0) return 0;
    v = u.map((x) => x / norm);
    if (Math.abs(norm - lambda) <= 1e-6 * norm) return norm;
    lambda = norm;
  }
  return lambda;
}

/**
 * FISTA (accelerated proximal gradient) for the elastic-net penalised weighted logistic loss: the
 * gradient runs on the backend, the soft-threshold (L1 proximal step) in float64. Early stopping:
 * quits after 10 iterations without an objective improvement larger than tol.
 */
export function fistaSolve(p: LogisticProblem): SolverResult {
  const t = upload(p);
  try {
    const np = p.nParams;
    // step 1/L, L = Lipschitz constant of the smooth part's gradient: ¼ λmax(Xᵀ W X) + l2
    const eta = p.learningRate ?? 1 / (0.25 * gramNorm(t, np) * 1.01 + p.l2);
    let beta = Float64Array.from(p.init);
    const v = Float64Array.from(beta);
    let tk = 1;
    const history: number[] = [];
    let best = Infinity;
    let sinceBest = 0;
    let converged = false;
    let it = 0;
    for (; it < p.maxIter; it++) {
      const grad = lossGrad(t, v, true).grad as Float64Array;
      const next = new Float64Array(np);
      for (let j = 0; j < np; j++) {
        const gj = grad[j] + (j < np - 1 ? p.l2 * v[j] : 0);
        let x = v[j] - eta * gj;
        if (j < np - 1) {
          const thr = eta * p.l1;
          x = x > thr ? x - thr : x < -thr ? x + thr : 0;
        }
        next[j] = x;
      }
      const tNext = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
      for (let j = 0; j < np; j++) v[j] = next[j] + ((tk - 1) / tNext) * (next[j] - beta[j]);
      tk = tNext;
      beta = next;
      let pen = 0;
      for (let j = 0; j < np - 1; j++) pen += 0.5 * p.l2 * beta[j] * beta[j] + p.l1 * Math.abs(beta[j]);
      const obj = lossGrad(t, beta, false).loss + pen;
      history.push(obj);
      if (obj < best - p.tol * 1e-3) {
        best = obj;
        sinceBest = 0;
      } else if (++sinceBest >= 10) {
        converged = true;
        it++;
        break;
      }
    }
    return { beta, nIter: it, converged, lossHistory: history };
  } finally {
    t.dispose();
  }
}
