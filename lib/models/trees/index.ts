// The histogram-tree machinery that the boosted trees and the random forest both grow with.
export { fitBinMapper, binMatrix, binValue, transposeCodes, type BinMapper } from "./binning";
export { buildHistogram, buildHistogramNaive, subtractHistogram, allocHistogram, HIST_SLOTS, type BinnedData, type RowRange } from "./histogram";
export { findBestSplit, type SplitInfo, type SplitParams, type NodeSums } from "./split";
export { growTree, growerData, partitionRows, GrowerWorkspace, type GrowerData, type GrowOptions, type GrownTree } from "./grower";
export {
  flattenTrees,
  predictSum,
  addTreeBinned,
  pathContributions,
  treeImportance,
  treeCount,
  flatTreesToJSON,
  flatTreesFromJSON,
  type FlatTrees,
  type FlatTreesJSON,
} from "./predictor";
export { predictSumBatch, ColumnPermuter, isPermutableModel, type PermutableModel } from "./batchPredictor";
export { TREE_STREAM } from "./seeds";
