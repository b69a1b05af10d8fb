import { NotFittedError, SparkifyError } from "../../errors";
import { initBackend } from "../backend";
import { balancedWeights } from "../classWeights";
import { checkPredictMatrix, checkSavedModel, checkSavedParams, checkTrainingData, readColumns } from "../checkInput";
import { checkParams, resolveParams, type ParamConstraints } from "../params";
import type { Classifier, Matrix, SavedModel } from "../types";
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
 * import { LogisticRegression, matrixFromRows } from "./lib/models";
 * const X = matrixFromRows(Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 13]), ["visits", "errors"]);
 * const y = Array.from({ length: 200 }, (_, i) => (i % 10 < 3 ? 1 : 0));
 * const lr = await new LogisticRegression({ l2: 1 }).fit(X, y);
 * const p = lr.predictProba(X); // Float64Array, one probability per row
 * if (!(p[0] > p[9])) throw new Error("fewer visits should mean a higher risk");
 */
export class LogisticRegression implements Classifier {
  /** Allowed values of each option, checked on the first line of fit (and on a saved model's params). */
  static readonly paramConstraints: ParamConstraints = {
    l2: [{ type: "number", min: 0 }],
    l1: [{ type: "number", min: 0 }],
    maxIter: [{ type: "int", min: 1 }],
    tol: [{ type: "number", min: 0 }],
    learningRate: [{ type: "number", min: 0, minExclusive: true }],
    classWeight: [{ type: "oneOf", values: ["balanced", null] }],
    solver: [{ type: "oneOf", values: ["auto", "lbfgs", "fista"] }],
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

  /** The options in effect: the given ones over the defaults (learningRate stays undefined unless given). */
  getParams(): Resolved {
    return resolveParams<Resolved>(DEFAULTS, this.options);
  }

  /** Fits on X (nRows × nCols, NaN = missing) and y (0/1), optional sample weights; resolves to this. */
  async fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Promise<this> {
    checkParams("LogisticRegression", this.options, LogisticRegression.paramConstraints);
    const o = this.getParams();
    if (o.solver === "lbfgs" && o.l1 > 0) {
      throw new SparkifyError("E_BAD_PARAM", "LogisticRegression: solver \"lbfgs\" does not support l1 > 0; use \"fista\" or \"auto\"");
    }
    const t = checkTrainingData("LogisticRegression", X, y, sampleWeight);
    // "balanced" multiplies the sample weights by n / (2 nₖ), as scikit-learn's class_weight.
    const bw = o.classWeight === "balanced" ? balancedWeights(t.y) : undefined;
    const w = bw ? t.w.map((s, i) => s * bw[i]) : t.w;
    const backend = await initBackend();
    const std = fitStandardization(X);
    const n = X.nRows;
    const p = X.nCols + 1;
    let wSum = 0;
    let wPos = 0;
    for (let i = 0; i < n; i++) {
      wSum += w[i];
      if (t.y[i] === 1) wPos += w[i];
    }
    const yf = new Float32Array(n);
    const wf = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      yf[i] = t.y[i];
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
    this.backend_ = backend;
    return this;
  }

  /** Logit (log-odds) of class 1 for each row; computed in float64 JavaScript (p multiply-adds per row). */
  decisionFunction(X: Matrix): Float64Array {
    const { coefStd, interceptStd, mean, scale } = this.fitted();
    checkPredictMatrix("LogisticRegression", X, coefStd.length);
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
    checkPredictMatrix("LogisticRegression", X, coefStd.length);
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
      params: { ...this.getParams() },
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

  /** Rebuilds a fitted model from toJSON's output; throws a SparkifyError on another kind, another version or a damaged file. */
  static fromJSON(saved: SavedModel): LogisticRegression {
    const sv = checkSavedModel(saved, "lr", LogisticRegression.formatVersion, "LogisticRegression");
    checkSavedParams("LogisticRegression", sv.params, (p) => checkParams("LogisticRegression", p, LogisticRegression.paramConstraints));
    const s = sv.state;
    const arr = (k: string): Float64Array => {
      const v = s[k];
      if (!Array.isArray(v) || v.some((x) => typeof x !== "number")) throw new SparkifyError("E_MODEL_DAMAGED", `LogisticRegression.fromJSON: damaged model file: state.${k} must be an array of numbers`);
      return Float64Array.from(v as number[]);
    };
    const m = new LogisticRegression(sv.params as LogisticRegressionOptions);
    m.mean_ = arr("mean");
    m.scale_ = arr("scale");
    m.coefStd_ = arr("coefStd");
    m.columns_ = readColumns(s, "LogisticRegression", m.coefStd_.length);
    if (typeof s.interceptStd !== "number") throw new SparkifyError("E_MODEL_DAMAGED", "LogisticRegression.fromJSON: damaged model file: state.interceptStd must be a number");
    m.interceptStd_ = s.interceptStd;
    if (m.mean_.length !== m.coefStd_.length || m.scale_.length !== m.coefStd_.length) {
      throw new SparkifyError("E_MODEL_DAMAGED", "LogisticRegression.fromJSON: damaged model file: mean, scale and coefStd differ in length");
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
}
