import { NotFittedError, SparkifyError } from "../../errors";
import type { Classifier, Matrix, SavedModel } from "../types";
import { binMatrix, fitBinMapper } from "../trees/binning";
import { checkPredictMatrix, checkSavedModel, checkTrainingData, readColumns } from "../checkInput";
import { growerData } from "../trees/grower";
import { checkParams, type ParamConstraints } from "../params";
import { flatTreesFromJSON, flatTreesToJSON, flattenTrees, pathContributions, predictSum, treeImportance, type FlatTrees } from "../trees/predictor";
import { trainForestParallel } from "./trainForestParallel";

/** Options of RandomForest (names and defaults shared with the evaluation code). */
export interface ForestOptions {
  /** Number of trees. */
  nEstimators: number;
  /** Maximum depth (root = 0); 0 = unlimited. */
  maxDepth: number;
  /** Minimum training rows per leaf. */
  minSamplesLeaf: number;
  /** Features drawn at each split: "sqrt" or "log2" of the column count, or a fraction of the columns. */
  maxFeatures: "sqrt" | "log2" | number;
  /** Grow each tree on a bootstrap sample (drawn as integer weights). */
  bootstrap: boolean;
  /** Bins per feature, 2..255. */
  maxBins: number;
  seed: number;
  /** Threads growing trees (the calling one included); the forest is the same for any value. */
  nThreads: number;
}

const DEFAULTS: ForestOptions = {
  nEstimators: 100,
  maxDepth: 0,
  minSamplesLeaf: 1,
  maxFeatures: "sqrt",
  bootstrap: true,
  maxBins: 255,
  seed: 0,
  nThreads: 2,
};
const FORMAT_VERSION = 1;

/** Features drawn per node for `maxFeatures` out of nCols (as scikit-learn: floor, at least 1). */
export function featuresPerNode(maxFeatures: ForestOptions["maxFeatures"], nCols: number): number {
  const k = maxFeatures === "sqrt" ? Math.sqrt(nCols) : maxFeatures === "log2" ? Math.log2(nCols) : maxFeatures * nCols;
  return Math.min(nCols, Math.max(1, Math.floor(k)));
}

/**
 * A random forest of histogram trees (LightGBM's RF mode: the boosting grower with Gini gain, per-node
 * feature draws and averaged leaf class shares), grown on worker threads, deterministic for a seed.
 * @example
 *   const rf = new RandomForest({ nEstimators: 50, seed: 1 }).fit(X, y);
 *   const p = rf.predictProba(X);
 */
export class RandomForest implements Classifier {
  /** Parameter rules, checked on the first line of fit. */
  static readonly paramConstraints: ParamConstraints = {
    nEstimators: [{ type: "int", min: 1 }],
    maxDepth: [{ type: "int", min: 0 }],
    minSamplesLeaf: [{ type: "int", min: 1 }],
    maxFeatures: [{ type: "string", values: ["sqrt", "log2"] }, { type: "number", min: 0, max: 1, minExclusive: true }],
    bootstrap: [{ type: "boolean" }],
    maxBins: [{ type: "int", min: 2, max: 255 }],
    seed: [{ type: "int" }],
    nThreads: [{ type: "int", min: 1, max: 256 }],
  };

  /** The options, defaults filled in. */
  readonly options: ForestOptions;
  /** Normalised Gini importance (total weighted impurity decrease) per column. */
  featureImportances_: Float64Array | null = null;
  /** Column names seen in fit. */
  columns_: string[] = [];
  private trees_: FlatTrees | null = null;

  constructor(options: Partial<ForestOptions> = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.options = { ...DEFAULTS, ...given };
  }

  /**
   * Fits the forest.
   * @param X nSamples × nFeatures (NaN = missing)
   * @param y 0/1 labels
   * @param sampleWeight optional non-negative weights
   * @returns this
   */
  fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): this {
    checkParams("RandomForest", this.options, RandomForest.paramConstraints);
    const o = this.options;
    const t = checkTrainingData("RandomForest", X, y, sampleWeight);
    const mapper = fitBinMapper(X, o.maxBins);
    const data = { ...growerData(binMatrix(X, mapper), X.nRows, mapper), y: t.y, w: t.w };
    const params = {
      maxDepth: o.maxDepth,
      minSamplesLeaf: o.minSamplesLeaf,
      maxFeaturesPerNode: featuresPerNode(o.maxFeatures, X.nCols),
      bootstrap: o.bootstrap,
      seed: o.seed,
    };
    const { trees } = trainForestParallel(data, params, o.nEstimators, o.nThreads);
    this.trees_ = flattenTrees(trees);
    this.columns_ = [...X.columns];
    this.featureImportances_ = treeImportance(this.trees_, X.nCols, "gain");
    return this;
  }

  private fitted(): FlatTrees {
    if (!this.trees_) throw new NotFittedError("RandomForest");
    return this.trees_;
  }

  /** Number of trees. */
  get nEstimatorsFitted_(): number {
    return this.trees_ ? this.trees_.treeOffsets.length - 1 : 0;
  }

  /** Probability of class 1 for each row of X: the mean over trees of the leaf's weighted class-1 share. */
  predictProba(X: Matrix): Float64Array {
    const trees = this.fitted();
    checkPredictMatrix("RandomForest", X, this.columns_.length);
    const s = predictSum(trees, X);
    const nT = trees.treeOffsets.length - 1;
    for (let i = 0; i < s.length; i++) s[i] = Math.min(1, Math.max(0, s[i] / nT));
    return s;
  }

  /**
   * Per-row, per-feature contributions to the probability (Saabas path attribution averaged over trees).
   * @returns nRows × (nCols + 1), row-major, bias (mean root share) last; each row sums to predictProba
   */
  contributions(X: Matrix): Float64Array {
    const trees = this.fitted();
    checkPredictMatrix("RandomForest", X, this.columns_.length);
    return pathContributions(trees, X, trees.treeOffsets.length - 1, 1 / (trees.treeOffsets.length - 1));
  }

  /** Normalised total Gini gain ("gain") or split count ("split") per column. */
  featureImportance(kind: "gain" | "split" = "gain"): Float64Array {
    return treeImportance(this.fitted(), this.columns_.length, kind);
  }

  /** The saved form: kind "rf", format version 1. */
  toJSON(): SavedModel {
    const trees = this.fitted();
    return {
      kind: "rf",
      formatVersion: FORMAT_VERSION,
      params: { ...this.options },
      state: { nFeatures: this.columns_.length, columns: this.columns_, trees: flatTreesToJSON(trees) },
    };
  }

  /** Rebuilds a forest saved by toJSON; throws a SparkifyError on another kind, another version or a damaged file. */
  static fromJSON(saved: SavedModel): RandomForest {
    const s = checkSavedModel(saved, "rf", FORMAT_VERSION, "RandomForest");
    const m = new RandomForest(s.params as Partial<ForestOptions>);
    try {
      checkParams("RandomForest", m.options, RandomForest.paramConstraints);
    } catch (e) {
      throw new SparkifyError("E_MODEL_DAMAGED", `RandomForest.fromJSON: damaged model file: ${(e as Error).message}`);
    }
    const columns = readColumns(s.state, "RandomForest");
    m.trees_ = flatTreesFromJSON(s.state.trees, columns.length, "RandomForest.fromJSON");
    m.columns_ = columns;
    m.featureImportances_ = treeImportance(m.trees_, columns.length, "gain");
    return m;
  }
}
