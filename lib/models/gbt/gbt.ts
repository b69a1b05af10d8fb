import { NotFittedError, SparkifyError } from "../../errors";
import { takeRows, type Classifier, type Matrix, type SavedModel } from "../types";
import { binMatrix, fitBinMapper } from "../trees/binning";
import { checkPredictMatrix, checkSavedModel, checkSavedParams, checkTrainingData, readColumns } from "../checkInput";
import { GrowerWorkspace, growTree, growerData, type GrownTree } from "../trees/grower";
import { checkParams, resolveParams, type ParamConstraints } from "../params";
import {
  addTreeBinned,
  flatTreesFromJSON,
  flatTreesToJSON,
  flatTreesTyped,
  flattenTrees,
  pathContributions,
  treeImportance,
  type FlatTrees,
} from "../trees/predictor";
import { ColumnPermuter, predictSumBatch } from "../trees/batchPredictor";
import { createRng, partialShuffle, type Rng } from "../../random";
import { TREE_STREAM } from "../trees/seeds";

/** Options of GradientBoostedTrees (names and defaults shared with the evaluation code). */
export interface GbtOptions {
  /** Maximum boosting rounds. */
  nEstimators: number;
  /** Shrinkage applied to every leaf value. */
  learningRate: number;
  /** Maximum tree depth (root = 0); 0 = unlimited. */
  maxDepth: number;
  /** Maximum leaves per tree (best-first growth); 0 = unlimited. */
  maxLeaves: number;
  /** Minimum training rows per leaf. */
  minSamplesLeaf: number;
  /** L2 penalty on leaf values. */
  l2: number;
  /** Bins per feature, 2..255 (one more is kept for missing values). */
  maxBins: number;
  /** Fraction of training rows drawn (without replacement) for each tree. */
  subsample: number;
  /** Fraction of columns drawn for each tree. */
  colsampleByTree: number;
  /**
   * Early stopping on a stratified hold-out: "auto" (scikit-learn's rule) only past 10,000 training rows,
   * where the hold-out is large enough to measure; "on" always; "off" never.
   */
  earlyStopping: "auto" | "on" | "off";
  /** Stop when the validation log loss has not improved for this many rounds; 0 disables early stopping. */
  earlyStoppingRounds: number;
  /** Fraction held out (stratified) for early stopping. */
  validationFraction: number;
  /** Seed for the validation split and row/column sampling. */
  seed: number;
}

/** scikit-learn's HistGradientBoostingClassifier defaults (1.2: max_iter 100, max_leaf_nodes 31, no depth limit, n_iter_no_change 10). */
const DEFAULTS: GbtOptions = {
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 0,
  maxLeaves: 31,
  minSamplesLeaf: 20,
  l2: 0,
  maxBins: 255,
  subsample: 1,
  colsampleByTree: 1,
  earlyStopping: "auto",
  earlyStoppingRounds: 10,
  validationFraction: 0.1,
  seed: 0,
};

/**
 * Training rows above which earlyStopping "auto" holds out a validation part (scikit-learn's threshold):
 * below it a 10 % hold-out has a few dozen rows and a handful of positives, and boosting stops on noise.
 */
export const AUTO_EARLY_STOPPING_ROWS = 10_000;

/** Minimum hessian sum per child, as scikit-learn's min_hessian_to_split. */
const MIN_CHILD_WEIGHT = 1e-3;
const FORMAT_VERSION = 1;

/** Whether a fit on nRows rows holds out a validation part and stops early (see GbtOptions.earlyStopping). */
export function usesEarlyStopping(o: Pick<GbtOptions, "earlyStopping" | "earlyStoppingRounds">, nRows: number): boolean {
  if (o.earlyStoppingRounds <= 0 || o.earlyStopping === "off") return false;
  return o.earlyStopping === "on" || nRows > AUTO_EARLY_STOPPING_ROWS;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Stratified seeded hold-out: about `fraction` of each class's rows (at least one when the class has two or more). */
export function stratifiedHoldout(y: Uint8Array, fraction: number, rng: Rng): { train: Uint32Array; valid: Uint32Array } {
  const isValid = new Uint8Array(y.length);
  for (const cls of [0, 1]) {
    const idx = Int32Array.from(Array.from(y.keys()).filter((i) => y[i] === cls));
    const k = idx.length >= 2 ? Math.min(idx.length - 1, Math.max(1, Math.round(fraction * idx.length))) : 0;
    partialShuffle(idx, k, rng);
    for (let i = 0; i < k; i++) isValid[idx[i]] = 1;
  }
  const train: number[] = [];
  const valid: number[] = [];
  for (let i = 0; i < y.length; i++) (isValid[i] ? valid : train).push(i);
  return { train: Uint32Array.from(train), valid: Uint32Array.from(valid) };
}

function weightedLogLoss(raw: Float64Array, y: Uint8Array, w: Float64Array): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < raw.length; i++) {
    // log(1 + e^-z) for y = 1, log(1 + e^z) for y = 0, written to stay finite for large |z|.
    const z = y[i] ? raw[i] : -raw[i];
    s += w[i] * (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
    sw += w[i];
  }
  return sw > 0 ? s / sw : 0;
}

/**
 * Histogram gradient-boosted trees for binary classification (log loss), in the manner of LightGBM and
 * scikit-learn's HistGradientBoostingClassifier: 255-bin features, best-first trees with histogram
 * subtraction, missing values sent the learned way, L2 on leaf values, early stopping on a stratified fold.
 * @example
 * import { GradientBoostedTrees, matrixFromRows } from "./lib/models";
 * const X = matrixFromRows(Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 13]), ["visits", "errors"]);
 * const y = Array.from({ length: 200 }, (_, i) => (i % 10 < 3 ? 1 : 0));
 * const m = await new GradientBoostedTrees({ nEstimators: 50, seed: 1 }).fit(X, y);
 * const p = m.predictProba(X); // one probability per row
 * if (!(p[0] > 0.5 && p[5] < 0.5)) throw new Error(`unexpected ${p[0]}, ${p[5]}`);
 */
export class GradientBoostedTrees implements Classifier {
  /** Parameter rules, checked on the first line of fit (and on a saved model's params). */
  static readonly paramConstraints: ParamConstraints = {
    nEstimators: [{ type: "int", min: 1 }],
    learningRate: [{ type: "number", min: 0, minExclusive: true }],
    maxDepth: [{ type: "int", min: 0 }],
    maxLeaves: [{ type: "int", min: 2 }, { type: "int", min: 0, max: 0 }],
    minSamplesLeaf: [{ type: "int", min: 1 }],
    l2: [{ type: "number", min: 0 }],
    maxBins: [{ type: "int", min: 2, max: 255 }],
    subsample: [{ type: "number", min: 0, max: 1, minExclusive: true }],
    colsampleByTree: [{ type: "number", min: 0, max: 1, minExclusive: true }],
    earlyStopping: [{ type: "oneOf", values: ["auto", "on", "off"] }],
    earlyStoppingRounds: [{ type: "int", min: 0 }],
    validationFraction: [{ type: "number", min: 0, max: 1, minExclusive: true, maxExclusive: true }],
    seed: [{ type: "int" }],
  };

  /** The options as given to the constructor (see getParams for the ones in effect). */
  readonly options: Partial<GbtOptions>;
  /** Trees kept (the best round when early stopping). */
  nEstimatorsFitted_?: number;
  /** Raw score before any tree: the log-odds of the weighted training label mean. */
  baseScore_?: number;
  /** Normalised total split gain per column. */
  featureImportances_?: Float64Array;
  /** Validation log loss after each round (empty when early stopping was not used). */
  validationLoss_?: number[];
  /** Column names seen in fit. */
  columns_?: string[];
  private trees_?: FlatTrees;

  constructor(options: Partial<GbtOptions> = {}) {
    this.options = options;
  }

  /** The options in effect: the given ones over scikit-learn's defaults. */
  getParams(): GbtOptions {
    return resolveParams(DEFAULTS, this.options);
  }

  /**
   * Fits the model.
   * @param X nSamples × nFeatures (NaN = missing)
   * @param y 0/1 labels, nSamples
   * @param sampleWeight optional non-negative weights (class weights come in this way)
   * @returns this, once fitted
   */
  async fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Promise<this> {
    checkParams("GradientBoostedTrees", this.options, GradientBoostedTrees.paramConstraints);
    const o = this.getParams();
    const t = checkTrainingData("GradientBoostedTrees", X, y, sampleWeight);
    const rng = createRng(o.seed, TREE_STREAM);
    const early = usesEarlyStopping(o, X.nRows);
    let trainIdx: Uint32Array = Uint32Array.from(Array.from({ length: X.nRows }, (_, i) => i));
    let validIdx: Uint32Array = new Uint32Array(0);
    if (early) ({ train: trainIdx, valid: validIdx } = stratifiedHoldout(t.y, o.validationFraction, rng));
    const pick = <T extends Uint8Array | Float64Array>(a: T, idx: Uint32Array): T => {
      const out = new (a.constructor as new (n: number) => T)(idx.length);
      for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
      return out;
    };
    const Xtr = takeRows(X, trainIdx);
    const ytr = pick(t.y, trainIdx);
    const wtr = pick(t.w, trainIdx);
    const mapper = fitBinMapper(Xtr, o.maxBins);
    const codes = binMatrix(Xtr, mapper);
    const n = Xtr.nRows;
    const nF = X.nCols;
    const ws = new GrowerWorkspace(growerData(codes, n, mapper));

    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += wtr[i];
      swy += wtr[i] * ytr[i];
    }
    if (swy <= 0 || swy >= sw) throw new SparkifyError("E_BAD_INPUT", "GradientBoostedTrees.fit: the training part has a single class after the validation hold-out; use more rows or earlyStopping: \"off\"");
    const baseScore = Math.log(swy / (sw - swy));
    const raw = new Float64Array(n).fill(baseScore);
    const nV = validIdx.length;
    const yv = pick(t.y, validIdx);
    const wv = pick(t.w, validIdx);
    const validCodes = early ? binMatrix(takeRows(X, validIdx), mapper) : new Uint8Array(0);
    const rawV = new Float64Array(nV).fill(baseScore);

    const g = new Float64Array(n);
    const h = new Float64Array(n);
    const nSub = Math.max(1, Math.round(o.subsample * n));
    const nColTree = Math.max(1, Math.round(o.colsampleByTree * nF));
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    const allRows = Uint32Array.from(perm);
    const inSample = new Uint8Array(n);
    const colPerm = Int32Array.from({ length: nF }, (_, i) => i);
    const trees: GrownTree[] = [];
    const validationLoss: number[] = [];
    let best = Infinity;
    let bestRound = -1;
    for (let round = 0; round < o.nEstimators; round++) {
      for (let i = 0; i < n; i++) {
        const p = sigmoid(raw[i]);
        g[i] = wtr[i] * (p - ytr[i]);
        h[i] = Math.max(wtr[i] * p * (1 - p), 1e-16 * wtr[i]);
      }
      // Rows in increasing order (the grower reorders its copy): the kernels then read memory forwards.
      let rows: Uint32Array;
      if (nSub < n) {
        partialShuffle(perm, nSub, rng);
        inSample.fill(0);
        for (let k = 0; k < nSub; k++) inSample[perm[k]] = 1;
        rows = new Uint32Array(nSub);
        for (let i = 0, k = 0; i < n; i++) if (inSample[i]) rows[k++] = i;
      } else rows = allRows.slice();
      let features = colPerm;
      if (nColTree < nF) {
        partialShuffle(colPerm, nColTree, rng);
        features = Int32Array.from(colPerm.subarray(0, nColTree)).sort();
      }
      const tree = growTree(ws, g, h, rows, {
        maxDepth: o.maxDepth,
        maxLeaves: o.maxLeaves,
        split: { l2: o.l2, minSamplesLeaf: o.minSamplesLeaf, minChildWeight: MIN_CHILD_WEIGHT },
        leafScale: -o.learningRate,
        features,
        maxFeaturesPerNode: 0,
        rng,
      });
      trees.push(tree);
      addTreeBinned(tree, codes, nF, mapper.missingBin, raw);
      if (early) {
        addTreeBinned(tree, validCodes, nF, mapper.missingBin, rawV);
        const loss = weightedLogLoss(rawV, yv, wv);
        validationLoss.push(loss);
        if (loss < best - 1e-10) {
          best = loss;
          bestRound = round;
        } else if (round - bestRound >= o.earlyStoppingRounds) break;
      }
      // A tree that cannot split leaves gradients unchanged up to its constant: later rounds would repeat it.
      if (tree.feature.length === 1 && nSub === n && nColTree === nF) break;
    }
    const kept = early ? bestRound + 1 : trees.length;
    this.setState(X.columns, baseScore, flattenTrees(trees.slice(0, kept)), validationLoss);
    return this;
  }

  /** Sets every learned field at once (from fit or fromJSON). */
  private setState(columns: readonly string[], baseScore: number, trees: FlatTrees, validationLoss: number[]): void {
    this.columns_ = [...columns];
    this.baseScore_ = baseScore;
    this.trees_ = trees;
    this.nEstimatorsFitted_ = trees.treeOffsets.length - 1;
    this.validationLoss_ = validationLoss;
    this.featureImportances_ = treeImportance(trees, columns.length, "gain");
  }

  private fitted(): { trees: FlatTrees; columns: string[]; baseScore: number } {
    if (!this.trees_ || !this.columns_ || this.baseScore_ === undefined) throw new NotFittedError("GradientBoostedTrees");
    return { trees: this.trees_, columns: this.columns_, baseScore: this.baseScore_ };
  }

  /** Raw scores (log-odds) for each row of X (nRows). */
  decisionFunction(X: Matrix): Float64Array {
    const { trees, columns, baseScore } = this.fitted();
    checkPredictMatrix("GradientBoostedTrees", X, columns.length);
    const s = predictSumBatch(trees, X);
    for (let i = 0; i < s.length; i++) s[i] += baseScore;
    return s;
  }

  /** Probability of class 1 for each row of X (nRows). */
  predictProba(X: Matrix): Float64Array {
    const s = this.decisionFunction(X);
    for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i]);
    return s;
  }

  /** predictProba on X with columns permuted, re-walking only what a permutation changes (permutation importance). */
  columnPermuter(X: Matrix): ColumnPermuter {
    const { trees, columns, baseScore } = this.fitted();
    checkPredictMatrix("GradientBoostedTrees", X, columns.length);
    return new ColumnPermuter(trees, X, (s) => {
      for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i] + baseScore);
    });
  }

  /**
   * Per-row, per-feature contributions to the raw score (Saabas path attribution).
   * @returns nRows × (nCols + 1), row-major, the bias (base score + root values) last; each row sums to decisionFunction
   */
  contributions(X: Matrix): Float64Array {
    const { trees, columns, baseScore } = this.fitted();
    checkPredictMatrix("GradientBoostedTrees", X, columns.length);
    const c = pathContributions(trees, X);
    const w = X.nCols + 1;
    for (let i = 0; i < X.nRows; i++) c[i * w + X.nCols] += baseScore;
    return c;
  }

  /** Normalised total split gain ("gain") or split count ("split") per column. */
  featureImportance(kind: "gain" | "split" = "gain"): Float64Array {
    const { trees, columns } = this.fitted();
    return treeImportance(trees, columns.length, kind);
  }

  /**
   * The saved form: kind "gbt", format version 1. With `typedTrees` the tree arrays stay typed-array
   * copies (for another thread: fromJSON reads them alike; JSON text needs the default).
   */
  toJSON(options: { typedTrees?: boolean } = {}): SavedModel {
    const { trees, columns, baseScore } = this.fitted();
    return {
      kind: "gbt",
      formatVersion: FORMAT_VERSION,
      params: { ...this.getParams() },
      state: {
        nFeatures: columns.length,
        columns,
        baseScore,
        nEstimatorsFitted: this.nEstimatorsFitted_,
        validationLoss: this.validationLoss_,
        trees: options.typedTrees ? flatTreesTyped(trees) : flatTreesToJSON(trees),
      },
    };
  }

  /** Rebuilds a model saved by toJSON; throws a SparkifyError on another kind, another version or a damaged file. */
  static fromJSON(saved: SavedModel): GradientBoostedTrees {
    const s = checkSavedModel(saved, "gbt", FORMAT_VERSION, "GradientBoostedTrees");
    checkSavedParams("GradientBoostedTrees", s.params, (p) => checkParams("GradientBoostedTrees", p, GradientBoostedTrees.paramConstraints));
    const m = new GradientBoostedTrees(s.params as Partial<GbtOptions>);
    const st = s.state;
    const columns = readColumns(st, "GradientBoostedTrees");
    if (typeof st.baseScore !== "number" || !Number.isFinite(st.baseScore)) {
      throw new SparkifyError("E_MODEL_DAMAGED", "GradientBoostedTrees.fromJSON: damaged model file: state.baseScore is not a finite number");
    }
    const trees = flatTreesFromJSON(st.trees, columns.length, "GradientBoostedTrees.fromJSON");
    if (st.nEstimatorsFitted !== trees.treeOffsets.length - 1) {
      throw new SparkifyError("E_MODEL_DAMAGED", `GradientBoostedTrees.fromJSON: damaged model file: nEstimatorsFitted = ${String(st.nEstimatorsFitted)} but ${trees.treeOffsets.length - 1} trees are stored`);
    }
    m.setState(columns, st.baseScore, trees, Array.isArray(st.validationLoss) ? (st.validationLoss as number[]) : []);
    return m;
  }
}
