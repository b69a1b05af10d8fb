export {
  rocAuc, averagePrecision, logLoss, confusionAt, addConfusion, precisionRecallF1, bestF1Threshold, rocCurve, prCurve,
  calibrationTable, downsample, meanStd, type Confusion, type RocPoint, type PrPoint, type CalibrationBin,
} from "./metrics";
export { createRng, shuffleInPlace } from "./rng";
export { stratifiedGroupKFold, type Fold, type FoldPlan } from "./stratifiedGroupKFold";
export { permutationImportance, type PermutationOptions } from "./permutationImportance";
export { explainContributions, sumByFeature, type Reason } from "./explainContributions";
export { crossValidate, fitModel, balancedWeights, modelParams, type CvRun } from "./crossValidate";
export { searchSpace } from "./searchSpace";
export { trainAndEvaluate, labelsOf, cutoffOf, type TrainOptions, type TrainResult } from "./trainAndEvaluate";
export { scoreUsers, type ScoredUser } from "./scoreUsers";
export type {
  Cell, FeatureTableLike, FeatureScore, CvSummary, SearchEntry, ModelMetrics, MetricsJson, ProbabilityQuality, GainsPoint, GainsSummary,
  BaselineMetrics, SelectionInfo, BudgetRow,
} from "./types";
