import { NotFittedError } from "../../errors";
import type { Classifier, Matrix, SavedModel } from "../types";
import { binMatrix, fitBinMapper } from "../trees/binning";
import { checkPredictMatrix, checkSavedModel, checkSavedParams, checkTrainingData, readColumns } from "../checkInput";
import { growerData } from "../trees/grower";
import { checkParams, resolveParams, type ParamConstraints } from "../params";
import { flatTreesFromJSON, flatTreesToJSON, flatTreesTyped, flattenTrees, pathContributions, treeImportance, type FlatTrees } from "../trees/predictor";
import { ColumnPermuter, predictSumBatch } from "../trees/batchPredictor";
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

/** Summed leaf class shares of nTrees trees to probabilities, in place. */
function sharesToProba(s: Float64Array, nTrees: number): void {
  for (let i = 0; i < s.length; i++) s[i] = Math.min(1, Math.max(0, s[i] / nTrees));
}

/**
 * A random forest of histogram trees (LightGBM's RF mode: the boosting grower with Gini gain, per-node
 * feature draws and averaged leaf class shares), grown on worker threads, deterministic for a seed.
 * @example
 * import { RandomForest, matrixFromRows } from "./lib/models";
 * const X = matrixFromRows(Array.from({ length: 200 }, (_, i) => [i % 10, (i * 7) % 13]), ["visits", "errors"]);
 * const y = Array.from({ length: 200 }, (_, i) => (i % 10 < 3 ? 1 : 0));
 * const rf = await new RandomForest({ nEstimators: 50, seed: 1, nThreads: 1 }).fit(X, y);
 * const p = rf.predictProba(X); // the mean over trees of the leaf's share of class 1
 * if (!(p[0] > 0.5 && p[5] < 0.5)) throw new Error(`unexpected ${p[0]}, ${p[5]}`);
 */
export class RandomForest implements Classifier {
  /** Parameter rules, checked on the first line of fit (and on a saved model's params). */
  static readonly paramConstraints: ParamConstraints = {
    nEstimators: [{ type: "int", min: 1 }],
    maxDepth: [{ type: "int", min: 0 }],
    minSamplesLeaf: [{ type: "int", min: 1 }],
    maxFeatures: [{ type: "oneOf", values: ["sqrt", "log2"] }, { type: "number", min: 0, max: 1, minExclusive: true }],
    bootstrap: [{ type: "boolean" }],
    maxBins: [{ type: "int", min: 2, max: 255 }],
    seed: [{ type: "int" }],
    nThreads: [{ type: "int", min: 1, max: 256 }],
  };

  /** The options as given to the constructor (see getParams for the ones in effect). */
  readonly options: Partial<ForestOptions>;
  /** Normalised Gini importance (total weighted impurity decrease) per column. */
  featureImportances_?: Float64Array;
  /** Column names seen in fit. */
  columns_?: string[];
  /** Number of trees. */
  nEstimatorsFitted_?: number;
  private trees_?: FlatTrees;

  constructor(options: Partial<ForestOptions> = {}) {
    this.options = options;
  }

  /** The options in effect: the given ones over the defaults. */
  getParams(): ForestOptions {
    return resolveParams(DEFAULTS, this.options);
  }

  /**
   * Fits the forest.
   * @param X nSamples × nFeatures (NaN = missing)
   * @param y 0/1 labels
   * @param sampleWeight optional non-negative weights
   * @returns this, once fitted
   */
  async fit(X: Matrix, y: ArrayLike<number>, sampleWeight?: ArrayLike<number>): Promise<this> {
    checkParams("RandomForest", this.options, RandomForest.paramConstraints);
    const o = this.getParams();
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
    this.setState(X.columns, flattenTrees(trees));
    return this;
  }

  /** Sets every learned field at once (from fit or fromJSON). */
  private setState(columns: readonly string[], trees: FlatTrees): void {
    this.columns_ = [...columns];
    this.trees_ = trees;
    this.nEstimatorsFitted_ = trees.treeOffsets.length - 1;
    this.featureImportances_ = treeImportance(trees, columns.length, "gain");
  }

  private fitted(): { trees: FlatTrees; columns: string[] } {
    if (!this.trees_ || !this.columns_) throw new NotFittedError("RandomForest");
    return { trees: this.trees_, columns: this.columns_ };
  }

  /** Probability of class 1 for each row of X: the mean over trees of the leaf's weighted class-1 share. */
  predictProba(X: Matrix): Float64Array {
    const { trees, columns } = this.fitted();
    checkPredictMatrix("RandomForest", X, columns.length);
    const s = predictSumBatch(trees, X);
    sharesToProba(s, trees.treeOffsets.length - 1);
    return s;
  }

  /** predictProba on X with columns permuted, re-walking only what a permutation changes (permutation importance). */
  columnPermuter(X: Matrix): ColumnPermuter {
    const { trees, columns } = this.fitted();
    checkPredictMatrix("RandomForest", X, columns.length);
    const nT = trees.treeOffsets.length - 1;
    return new ColumnPermuter(trees, X, (s) => sharesToProba(s, nT));
  }

  /**
   * Per-row, per-feature contributions to the probability (Saabas path attribution averaged over trees).
   * @returns nRows × (nCols + 1), row-major, bias (mean root share) last; each row sums to predictProba
   */
  contributions(X: Matrix): Float64Array {
    const { trees, columns } = this.fitted();
    checkPredictMatrix("RandomForest", X, columns.length);
    return pathContributions(trees, X, trees.treeOffsets.length - 1, 1 / (trees.treeOffsets.length - 1));
  }

  /** Normalised total Gini gain ("gain") or split count ("split") per column. */
  featureImportance(kind: "gain" | "split" = "gain"): Float64Array {
    const { trees, columns } = this.fitted();
    return treeImportance(trees, columns.length, kind);
  }

  /**
   * The saved form: kind "rf", format version 1. With `typedTrees` the tree arrays stay typed-array
   * copies (for another thread: fromJSON reads them alike; JSON text needs the default).
   */
  toJSON(options: { typedTrees?: boolean } = {}): SavedModel {
    const { trees, columns } = this.fitted();
    return {
      kind: "rf",
      formatVersion: FORMAT_VERSION,
      params: { ...this.getParams() },
      state: { nFeatures: columns.length, columns, trees: options.typedTrees ? flatTreesTyped(trees) : flatTreesToJSON(trees) },
    };
  }

  /** Rebuilds a forest saved by toJSON; throws a SparkifyError on another kind, another version or a damaged file. */
  static fromJSON(saved: SavedModel): RandomForest {
    const s = checkSavedModel(saved, "rf", FORMAT_VERSION, "RandomForest");
    checkSavedParams("RandomForest", s.params, (p) => checkParams("RandomForest", p, RandomForest.paramConstraints));
    const m = new RandomForest(s.params as Partial<ForestOptions>);
    const columns = readColumns(s.state, "RandomForest");
    m.setState(columns, flatTreesFromJSON(s.state.trees, columns.length, "RandomForest.fromJSON"));
    return m;
  }
}
