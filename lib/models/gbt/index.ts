export { GradientBoostedTrees, stratifiedHoldout, type GbtOptions } from "./gbt";
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
export { checkParams, type ParamConstraints, type ParamRule } from "./params";
export { checkTrainingData, checkPredictMatrix, checkSavedModel, readColumns, type TrainingTargets } from "./checkInput";
export { createRng, mixSeed, partialShuffle, type Rng } from "./random";
