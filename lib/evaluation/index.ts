export {
  rocAuc, averagePrecision, logLoss, confusionAt, addConfusion, precisionRecallF1, bestF1Threshold, rocCurve, prCurve,
  calibrationTable, calibrationQuantileTable, downsample, meanStd, type Confusion, type RocPoint, type PrPoint, type CalibrationBin,
} from "./metrics";
export { stratifiedGroupKFold, type Fold, type FoldPlan } from "./stratifiedGroupKFold";
export { permutationImportance, type PermutationOptions } from "./permutationImportance";
export { explainContributions, sumByFeature, type Reason } from "./explainContributions";
export { crossValidate, fitModel, modelParams, type CvRun } from "./crossValidate";
export { balancedWeights } from "../models/classWeights";
export { searchSpace } from "./searchSpace";
export { trainAndEvaluate, labelsOf, cutoffOf, typicalValues, type TrainOptions, type TrainResult } from "./trainAndEvaluate";
export { scoreUsers, type ScoredUser } from "./scoreUsers";
export { brierScore, expectedCalibrationError, probabilityQuality, gainsCurve } from "./metrics";
export { treeShap, treesOfModel } from "./treeShap";
export { rawContributions, probabilityEffects } from "./explainRisk";
export { baselineMetrics, gainsSummary } from "./baselines";
export { selectBest, SELECTION_RULES, type SelectCriterion, type RankedScores } from "./selectBest";
export { budgetRows } from "./budget";
export type {
  Cell, FeatureTableLike, FeatureScore, CvSummary, SearchEntry, ModelMetrics, MetricsJson, ProbabilityQuality, GainsPoint, GainsSummary,
  BaselineMetrics, SelectionInfo, BudgetRow,
} from "./types";
