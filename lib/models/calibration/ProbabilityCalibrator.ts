import { NotFittedError, SparkifyError } from "../../errors";
import { checkTargets } from "../checkInput";
import { checkParams, resolveParams, type ParamConstraints } from "../params";
import { applyIsotonic, fitIsotonic, type IsotonicKnots } from "./isotonic";
import { applyPlatt, fitPlatt } from "./platt";

/** A calibration method: Platt's sigmoid, isotonic regression, or "auto" (the one with lower cross-fitted log loss). */
export type CalibrationMethod = "sigmoid" | "isotonic";

/** Options of ProbabilityCalibrator. */
export interface CalibratorOptions {
  /** "auto" (default) tries both and keeps the lower out-of-fold log loss, as issue 16 asks. */
  method?: CalibrationMethod | "auto";
}

/** The saved form of a fitted calibrator. */
export interface SavedCalibrator {
  kind: "probability-calibrator";
  formatVersion: number;
  params: { method: CalibrationMethod | "auto" };
  state: { method: CalibrationMethod; sigmoid?: { a: number; b: number }; isotonic?: IsotonicKnots; candidates?: Record<string, number> };
}

const FORMAT_VERSION = 1;

function logLoss(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i], 1e-15), 1 - 1e-15);
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, y.length);
}

/**
 * Maps a model's raw scores (its decision function, or its probability when it has none, as
 * scikit-learn's CalibratedClassifierCV) to calibrated probabilities. Fitted on out-of-fold scores,
 * so the map learns how the model's scores on unseen rows relate to outcomes. With method "auto"
 * and a fold number per row, each method is cross-fitted (fit on the other folds, applied to the
 * held-out one) and the one with the lower log loss is kept; `crossFitted_` holds those honest
 * calibrated out-of-fold probabilities for the metrics.
 * @example
 * import { ProbabilityCalibrator } from "./lib/models/calibration";
 * // Out-of-fold raw scores (log-odds) of some model, the outcomes, and each row's fold.
 * const scores = Array.from({ length: 400 }, (_, i) => ((i * 37) % 400) / 50 - 4);
 * const y = scores.map((s, i) => ((i * 7919) % 100 < 100 / (1 + Math.exp(-s)) ? 1 : 0));
 * const foldOf = scores.map((_, i) => i % 5);
 * const cal = await new ProbabilityCalibrator({ method: "auto" }).fit(scores, y, foldOf);
 * const [low, high] = cal.predictProba([-3, 3]); // calibrated probabilities
 * if (!(low < high)) throw new Error(`not increasing: ${low} ${high} (${cal.method_})`);
 */
export class ProbabilityCalibrator {
  /** Parameter rules, checked on the first line of fit (and on a saved calibrator's params). */
  static readonly paramConstraints: ParamConstraints = {
    method: [{ type: "oneOf", values: ["auto", "sigmoid", "isotonic"] }],
  };

  /** The options as given to the constructor (see getParams for the ones in effect). */
  readonly options: CalibratorOptions;
  /** The method in use after fit. */
  method_?: CalibrationMethod;
  /** Cross-fitted out-of-fold log loss of each method tried (empty when no folds were given). */
  candidates_?: Record<string, number>;
  /** Cross-fitted calibrated probabilities of the chosen method (undefined when no folds were given). */
  crossFitted_?: Float64Array;
  private sigmoid_?: { a: number; b: number };
  private isotonic_?: IsotonicKnots;

  constructor(options: CalibratorOptions = {}) {
    this.options = options;
  }

  /** The options in effect: method "auto" unless given. */
  getParams(): Required<CalibratorOptions> {
    return resolveParams<Required<CalibratorOptions>>({ method: "auto" }, this.options);
  }

  /**
   * Fits on raw scores and 0/1 outcomes. `foldOf` (fold number per row) lets "auto" compare the
   * methods out of fold; without it "auto" means sigmoid. Resolves to this.
   */
  async fit(scores: ArrayLike<number>, y: ArrayLike<number>, foldOf?: ArrayLike<number>): Promise<this> {
    checkParams("ProbabilityCalibrator", this.options, ProbabilityCalibrator.paramConstraints);
    checkTargets("ProbabilityCalibrator", y, scores.length, undefined, "scores");
    for (let i = 0; i < scores.length; i++) {
      if (!Number.isFinite(scores[i])) throw new SparkifyError("E_BAD_INPUT", `ProbabilityCalibrator.fit: score ${i} is ${scores[i]}`);
    }
    if (foldOf && foldOf.length !== scores.length) throw new SparkifyError("E_BAD_INPUT", `ProbabilityCalibrator.fit: foldOf has ${foldOf.length} values but scores has ${scores.length} rows`);
    const { method: asked } = this.getParams();
    const methods: CalibrationMethod[] = asked === "auto" ? ["sigmoid", "isotonic"] : [asked];
    const candidates: Record<string, number> = {};
    let method = methods[0];
    let crossFitted: Float64Array | undefined;
    if (foldOf) {
      let best: { method: CalibrationMethod; loss: number; p: Float64Array } | undefined;
      for (const m of methods) {
        const p = crossFit(m, scores, y, foldOf);
        const loss = logLoss(y, p);
        candidates[m] = loss;
        if (!best || loss < best.loss) best = { method: m, loss, p };
      }
      method = (best as NonNullable<typeof best>).method;
      crossFitted = (best as NonNullable<typeof best>).p;
    }
    this.candidates_ = candidates;
    this.crossFitted_ = crossFitted;
    this.method_ = method;
    this.sigmoid_ = method === "sigmoid" ? fitPlatt(scores, y) : undefined;
    this.isotonic_ = method === "isotonic" ? fitIsotonic(scores, y) : undefined;
    return this;
  }

  /** Calibrated probability of class 1 for each raw score. */
  predictProba(scores: ArrayLike<number>): Float64Array {
    if (this.method_ === "sigmoid" && this.sigmoid_) return applyPlatt(this.sigmoid_.a, this.sigmoid_.b, scores);
    if (this.method_ === "isotonic" && this.isotonic_) return applyIsotonic(this.isotonic_, scores);
    throw new NotFittedError("ProbabilityCalibrator", "fit(scores, y)");
  }

  /** The saved form (kind "probability-calibrator", format version 1). */
  toJSON(): SavedCalibrator {
    if (!this.method_) throw new NotFittedError("ProbabilityCalibrator", "fit(scores, y)");
    return {
      kind: "probability-calibrator",
      formatVersion: FORMAT_VERSION,
      params: { method: this.getParams().method },
      state: {
        method: this.method_,
        ...(this.sigmoid_ ? { sigmoid: { ...this.sigmoid_ } } : {}),
        ...(this.isotonic_ ? { isotonic: { x: [...this.isotonic_.x], y: [...this.isotonic_.y] } } : {}),
        candidates: { ...this.candidates_ },
      },
    };
  }

  /** Rebuilds a calibrator saved by toJSON; throws a SparkifyError on a damaged form. */
  static fromJSON(saved: unknown): ProbabilityCalibrator {
    const bad = (why: string): never => {
      throw new SparkifyError("E_MODEL_DAMAGED", `ProbabilityCalibrator.fromJSON: damaged calibrator: ${why}`);
    };
    if (typeof saved !== "object" || saved === null) return bad("not an object");
    const s = saved as Partial<SavedCalibrator>;
    if (s.kind !== "probability-calibrator") bad(`kind is ${JSON.stringify(s.kind)}`);
    if (s.formatVersion !== FORMAT_VERSION) bad(`format version ${JSON.stringify(s.formatVersion)} (this version reads ${FORMAT_VERSION})`);
    const st = s.state as SavedCalibrator["state"] | undefined;
    if (!st || (st.method !== "sigmoid" && st.method !== "isotonic")) return bad("state.method must be sigmoid or isotonic");
    const params = { method: s.params?.method ?? st.method };
    try {
      checkParams("ProbabilityCalibrator", params, ProbabilityCalibrator.paramConstraints);
    } catch (e) {
      bad((e as Error).message);
    }
    const c = new ProbabilityCalibrator(params);
    c.method_ = st.method;
    c.candidates_ = { ...(st.candidates ?? {}) };
    if (st.method === "sigmoid") {
      if (!st.sigmoid || !Number.isFinite(st.sigmoid.a) || !Number.isFinite(st.sigmoid.b)) bad("state.sigmoid needs finite a and b");
      c.sigmoid_ = { a: st.sigmoid!.a, b: st.sigmoid!.b };
    } else {
      const k = st.isotonic;
      if (!k || !Array.isArray(k.x) || !Array.isArray(k.y) || k.x.length === 0 || k.x.length !== k.y.length) return bad("state.isotonic needs equal, non-empty x and y");
      for (let i = 0; i < k.x.length; i++) {
        if (!Number.isFinite(k.x[i]) || !Number.isFinite(k.y[i]) || k.y[i] < 0 || k.y[i] > 1) bad(`state.isotonic knot ${i} is not finite or outside [0, 1]`);
        if (i > 0 && (k.x[i] < k.x[i - 1] || k.y[i] < k.y[i - 1])) bad(`state.isotonic knot ${i} is out of order`);
      }
      c.isotonic_ = { x: [...k.x], y: [...k.y] };
    }
    return c;
  }
}

/** Calibrated probabilities of each row from a calibrator fitted on the other folds' rows. */
function crossFit(method: CalibrationMethod, scores: ArrayLike<number>, y: ArrayLike<number>, foldOf: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  const folds = [...new Set(Array.from(foldOf))];
  for (const f of folds) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < scores.length; i++) (foldOf[i] === f ? test : train).push(i);
    const s = Float64Array.from(train, (i) => scores[i]);
    const t = Float64Array.from(train, (i) => y[i]);
    const probe = Float64Array.from(test, (i) => scores[i]);
    const p = train.length === 0 ? new Float64Array(test.length).fill(0.5)
      : method === "sigmoid" ? (({ a, b }) => applyPlatt(a, b, probe))(fitPlatt(s, t)) : applyIsotonic(fitIsotonic(s, t), probe);
    test.forEach((i, k) => (out[i] = p[k]));
  }
  return out;
}
