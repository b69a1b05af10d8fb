import { NotFittedError, SparkifyError } from "../../errors";
import { initBackend } from "../backend";
import type { Classifier, Matrix, SavedModel } from "../types";
import { checkParams, type ParamRule } from "./paramConstraints";
import { fistaSolve, lbfgsSolve, type LogisticProblem } from "./solvers";
import { fitStandardization, standardizeRows } from "./standardize";

/** Options of LogisticRegression (all optional). */
export interface LogisticRegressionOptions {
  /** L2 penalty λ₂ on the standardised coefficients: objective Σ wᵢ ℓᵢ + λ₂/2 ‖β‖² (scikit-learn's C = 1/λ₂). Default 1. */
  l2?: number;
  /** L1 penalty λ₁‖β‖₁ on the same scale; > 0 switches to the proximal-gradient solver. Default 0. */
  l1?: number;
  /** Maximum solver iterations (L-BFGS steps, or proximal-gradient steps when l1 > 0). Default 500. */
  maxIter?: number;
  /** Early stopping: stop when the weight-normalised objective improves by less than tol (relative) three steps running, or its gradient is below tol. Default 1e-6. */
  tol?: number;
  /** Step size of the proximal-gradient solver; default 1/L from the data's Lipschitz constant. */
  learningRate?: number;
  /** "balanced" weighs each class by n / (2 nₖ) (times any sample weights); null uses weights as given. Default "balanced". */
  classWeight?: "balanced" | null;
  /** "auto" uses L-BFGS when l1 = 0, otherwise FISTA (proximal gradient). Default "auto". */
  solver?: "auto" | "lbfgs" | "fista";
}

type Resolved = Required<Omit<LogisticRegressionOptions, "learningRate">> & { learningRate?: number };

const DEFAULTS: Resolved = { l2: 1, l1: 0, maxIter: 500, tol: 1e-6, classWeight: "balanced", solver: "auto" };

/**
 * Binary logistic regression trained with TensorFlow.js: inputs standardised inside the model (NaN
 * imputed with the training mean), L2 and optional L1 penalties, class weights, early stopping.
 * @example
 * const lr = await new LogisticRegression({ l2: 1 }).fit(X, y);
 * const p = lr.predictProba(X); // Float64Array, one probability per row
 */
export class LogisticRegression implements Classifier {
  /** Allowed values of each option, checked on the first line of fit. */
  static readonly paramConstraints: Record<string, ParamRule> = {
    l2: { type: "number", min: 0 },
    l1: { type: "number", min: 0 },
    maxIter: { type: "number", min: 1, integer: true },
    tol: { type: "number", min: 0 },
    learningRate: { type: "number", min: 0, minExclusive: true, optional: true },
    classWeight: { type: "enum", values: ["balanced", null] },
    solver: { type: "enum", values: ["auto", "lbfgs", "fista"] },
  };

  /** The options as given. */
  readonly options: LogisticRegressionOptions;
  /** Coefficients on the original feature scale (per unit of each input column). */
  coef_?: Float64Array;
  /** Intercept on the original feature scale. */
  intercept_?: number;
  /** Coefficients on the standardised scale (what the penalty sees; comparable across features). */
  coefStd_?: Float64Array;
  /** Intercept on the standardised scale (the logit of a row at the training means). */
  interceptStd_?: number;
  /** Training column means (also the imputation value for NaN). */
  mean_?: Float64Array;
  /** Training column standard deviations (1 for constant columns). */
  scale_?: Float64Array;
  /** Column names seen at fit. */
  columns_?: string[];
  /** Solver iterations run, whether the tolerance was met, and the objective path. */
  nIter_?: number;
  converged_?: boolean;
  lossHistory_?: number[];
  /** The TensorFlow.js backend the fit ran on. */
  backend_?: string;

  constructor(options: LogisticRegressionOptions = {}) {
    this.options = options;
  }

  private resolved(): Resolved {
    return { ...DEFAULTS, ...stripUndefined(this.options) } as Resolved;
  }

  /** Fits on X (nRows × nCols, NaN = missing) and y (0/1), optional sample weights; resolves to this. */
  async fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Promise<this> {
    const o = this.resolved();
    checkParams("LogisticRegression", o as unknown as Record<string, unknown>, LogisticRegression.paramConstraints);
    const w = checkFitInput(X, y, sampleWeight, o.classWeight);
    this.backend_ = await initBackend();
    const std = fitStandardization(X);
    const n = X.nRows;
    const p = X.nCols + 1;
    let wSum = 0;
    let wPos = 0;
    for (let i = 0; i < n; i++) {
      wSum += w[i];
      if (y[i] === 1) wPos += w[i];
    }
    const yf = new Float32Array(n);
    const wf = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      yf[i] = y[i];
      wf[i] = w[i] / wSum;
    }
    const init = new Float64Array(p);
    const prior = Math.min(Math.max(wPos / wSum, 1e-6), 1 - 1e-6);
    init[p - 1] = Math.log(prior / (1 - prior));
    const problem: LogisticProblem = {
      design: standardizeRows(X, std, true),
      nRows: n,
      nParams: p,
      y: yf,
      w: wf,
      l2: o.l2 / wSum,
      l1: o.l1 / wSum,
      maxIter: o.maxIter,
      tol: o.tol,
      learningRate: o.learningRate,
      init,
    };
    const useFista = o.solver === "fista" || (o.solver === "auto" && o.l1 > 0);
    if (o.solver === "lbfgs" && o.l1 > 0) {
      throw new SparkifyError("E_BAD_PARAM", "LogisticRegression: solver \"lbfgs\" does not support l1 > 0; use \"fista\" or \"auto\"");
    }
    const res = useFista ? fistaSolve(problem) : lbfgsSolve(problem);
    const coefStd = res.beta.slice(0, p - 1);
    const interceptStd = res.beta[p - 1];
    const coef = new Float64Array(p - 1);
    let intercept = interceptStd;
    for (let j = 0; j < p - 1; j++) {
      coef[j] = coefStd[j] / std.scale[j];
      intercept -= coef[j] * std.mean[j];
    }
    this.coefStd_ = coefStd;
    this.interceptStd_ = interceptStd;
    this.coef_ = coef;
    this.intercept_ = intercept;
    this.mean_ = std.mean;
    this.scale_ = std.scale;
    this.columns_ = [...X.columns];
    this.nIter_ = res.nIter;
    this.converged_ = res.converged;
    this.lossHistory_ = res.lossHistory;
    return this;
  }

  /** Logit (log-odds) of class 1 for each row; computed in float64 JavaScript (p multiply-adds per row). */
  decisionFunction(X: Matrix): Float64Array {
    const { coefStd, interceptStd, mean, scale } = this.fitted();
    this.checkWidth(X);
    const out = new Float64Array(X.nRows);
    const d = X.nCols;
    for (let i = 0; i < X.nRows; i++) {
      let z = interceptStd;
      const off = i * d;
      for (let j = 0; j < d; j++) {
        const v = X.data[off + j];
        if (v === v) z += coefStd[j] * ((v - mean[j]) / scale[j]);
      }
      out[i] = z;
    }
    return out;
  }

  /** Probability of class 1 for each row of X. */
  predictProba(X: Matrix): Float64Array {
    const z = this.decisionFunction(X);
    for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-z[i]));
    return z;
  }

  /**
   * Per-row additive contributions to the logit: coefStd_j × standardised value (0 for a missing
   * value, imputed at the mean), then the bias last. Shape nRows × (nCols + 1), row-major; each row
   * sums to decisionFunction.
   */
  contributions(X: Matrix): Float64Array {
    const { coefStd, interceptStd, mean, scale } = this.fitted();
    this.checkWidth(X);
    const d = X.nCols;
    const out = new Float64Array(X.nRows * (d + 1));
    for (let i = 0; i < X.nRows; i++) {
      const off = i * d;
      const o = i * (d + 1);
      for (let j = 0; j < d; j++) {
        const v = X.data[off + j];
        out[o + j] = v === v ? coefStd[j] * ((v - mean[j]) / scale[j]) : 0;
      }
      out[o + d] = interceptStd;
    }
    return out;
  }

  /** |standardised coefficient| per column: a scale-free importance. */
  featureImportance(): Float64Array {
    return this.fitted().coefStd.map(Math.abs);
  }

  /** Saved form: kind "lr", format version 1. */
  toJSON(): SavedModel {
    const f = this.fitted();
    return {
      kind: "lr",
      formatVersion: LogisticRegression.formatVersion,
      params: { ...this.resolved() },
      state: {
        columns: this.columns_,
        mean: Array.from(f.mean),
        scale: Array.from(f.scale),
        coefStd: Array.from(f.coefStd),
        interceptStd: f.interceptStd,
        nIter: this.nIter_,
        converged: this.converged_,
        backend: this.backend_,
      },
    };
  }

  /** Version of the saved state layout written by toJSON. */
  static readonly formatVersion = 1;

  /** Rebuilds a fitted model from toJSON's output; throws on another kind or version. */
  static fromJSON(saved: SavedModel): LogisticRegression {
    if (saved.kind !== "lr") throw new SparkifyError("E_MODEL_KIND", `LogisticRegression.fromJSON: kind "${saved.kind}" is not "lr"`);
    if (saved.formatVersion !== LogisticRegression.formatVersion) {
      throw new SparkifyError("E_MODEL_VERSION", `LogisticRegression.fromJSON: format version ${saved.formatVersion} is not supported (expected ${LogisticRegression.formatVersion})`);
    }
    const s = saved.state as Record<string, unknown>;
    const arr = (k: string): Float64Array => {
      const v = s[k];
      if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw new SparkifyError("E_MODEL_DAMAGED", `LogisticRegression.fromJSON: state.${k} must be an array of numbers`);
      return Float64Array.from(v as number[]);
    };
    const m = new LogisticRegression(saved.params as LogisticRegressionOptions);
    m.columns_ = (s.columns as string[]) ?? [];
    m.mean_ = arr("mean");
    m.scale_ = arr("scale");
    m.coefStd_ = arr("coefStd");
    if (typeof s.interceptStd !== "number") throw new SparkifyError("E_MODEL_DAMAGED", "LogisticRegression.fromJSON: state.interceptStd must be a number");
    m.interceptStd_ = s.interceptStd;
    if (m.mean_.length !== m.coefStd_.length || m.scale_.length !== m.coefStd_.length) {
      throw new SparkifyError("E_MODEL_DAMAGED", "LogisticRegression.fromJSON: mean, scale and coefStd differ in length");
    }
    m.coef_ = m.coefStd_.map((c, j) => c / (m.scale_ as Float64Array)[j]);
    m.intercept_ = m.interceptStd_ - m.coef_.reduce((a, c, j) => a + c * (m.mean_ as Float64Array)[j], 0);
    m.nIter_ = s.nIter as number | undefined;
    m.converged_ = s.converged as boolean | undefined;
    m.backend_ = s.backend as string | undefined;
    return m;
  }

  private fitted(): { coefStd: Float64Array; interceptStd: number; mean: Float64Array; scale: Float64Array } {
    if (!this.coefStd_ || this.interceptStd_ === undefined || !this.mean_ || !this.scale_) throw new NotFittedError("LogisticRegression");
    return { coefStd: this.coefStd_, interceptStd: this.interceptStd_, mean: this.mean_, scale: this.scale_ };
  }

  private checkWidth(X: Matrix): void {
    const d = (this.coefStd_ as Float64Array).length;
    if (X.nCols !== d) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression: X has ${X.nCols} columns, the model was fitted on ${d}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Validates shapes, labels and weights; returns the effective per-row weights (sample × class weight). */
function checkFitInput(X: Matrix, y: ArrayLike<number>, sampleWeight: ArrayLike<number> | undefined, classWeight: "balanced" | null): Float64Array {
  const n = X.nRows;
  if (X.data.length !== n * X.nCols) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: X.data has ${X.data.length} values, expected ${n} × ${X.nCols}`);
  if (y.length !== n) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: y has ${y.length} labels for ${n} rows`);
  if (sampleWeight && sampleWeight.length !== n) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: sampleWeight has ${sampleWeight.length} values for ${n} rows`);
  for (let k = 0; k < X.data.length; k++) {
    const v = X.data[k];
    if (v === Infinity || v === -Infinity) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: X[${Math.floor(k / X.nCols)}, "${X.columns[k % X.nCols]}"] is infinite`);
  }
  let nPos = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: y[${i}] = ${y[i]}; labels must be 0 or 1`);
    nPos += y[i];
  }
  if (nPos === 0 || nPos === n) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: y has only one class (${nPos} positives of ${n})`);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = sampleWeight ? sampleWeight[i] : 1;
    if (!(s >= 0) || !Number.isFinite(s)) throw new SparkifyError("E_BAD_INPUT", `LogisticRegression.fit: sampleWeight[${i}] = ${s} must be finite and >= 0`);
    w[i] = s;
  }
  if (classWeight === "balanced") {
    const wp = n / (2 * nPos);
    const wn = n / (2 * (n - nPos));
    for (let i = 0; i < n; i++) w[i] *= y[i] === 1 ? wp : wn;
  }
  return w;
}
