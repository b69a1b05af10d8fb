export { AUTO_EARLY_STOPPING_ROWS, GradientBoostedTrees, stratifiedHoldout, usesEarlyStopping, type GbtOptions } from "./gbt";
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
// params.ts, checkInput.ts and random.ts stay internal (generic names that would clash in lib/models' barrel).
