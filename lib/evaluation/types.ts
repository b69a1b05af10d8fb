import type { StageTiming } from "../progress/stageTimer";
import type { CalibrationBin, Confusion, PrPoint, RocPoint } from "./metrics";
import type { SelectCriterion } from "./selectBest";

/** A feature-table cell. */
export type Cell = number | string | null;

/**
 * The structural shape of lib/features' FeatureTable that evaluation needs: one row per (user,
 * cutoff), the label column `churn` (0/1), identifiers `userId` and `cutoff`, and the dictionary.
 */
export interface FeatureTableLike {
  columns: string[];
  rows: Array<Record<string, Cell>>;
  dictionary: Array<{ name: string; description?: string; type: "numeric" | "categorical" | "binary"; group?: string }>;
  mode: string;
  cutoffs?: unknown;
  horizonDays?: number | null;
  label?: unknown;
}

/** Importance of one source feature (one-hot columns summed back to their feature). */
export interface FeatureScore {
  feature: string;
  mean: number;
  std?: number;
}

/** Cross-validation spread of one model. */
export interface CvSummary {
  folds: number;
  auc_mean: number;
  auc_std: number;
  pr_auc_mean: number;
  pr_auc_std: number;
  log_loss_mean: number;
  log_loss_std: number;
  f1_mean: number;
  f1_std: number;
  per_fold: Array<{ auc: number; pr_auc: number; log_loss: number; f1: number; threshold: number; test_rows: number }>;
  /** Mean seconds per fold fit (training part only). */
  fit_seconds_mean: number;
}

/** One hyper-parameter candidate's cross-validated result. */
export interface SearchEntry {
  params: Record<string, unknown>;
  /** ROC-AUC of the pooled out-of-fold raw scores. */
  auc: number;
  /** Average precision of the pooled out-of-fold raw scores. */
  pr_auc: number;
  /** Log loss of the pooled cross-fitted calibrated out-of-fold probabilities. */
  log_loss: number;
  /** Mean and standard deviation of the per-fold ROC-AUC. */
  auc_mean: number;
  auc_std: number;
  /** Mean and standard deviation of the per-fold average precision. */
  pr_auc_mean: number;
  pr_auc_std: number;
}

/** How good probabilities are as probabilities (pooled out-of-fold). */
export interface ProbabilityQuality {
  /** Mean squared error of the probability against the 0/1 outcome. */
  brier: number;
  log_loss: number;
  /** Expected calibration error: Σ (bin rows / rows) · |mean predicted − observed rate| over 10 equal-width bins. */
  ece: number;
  mean_predicted: number;
  observed_rate: number;
}

/** One point of a cumulative gains curve: contact the top `share` of rows, reach `captured` of the positives. */
export interface GainsPoint {
  /** Fraction of rows contacted, highest probability first. */
  share: number;
  /** Fraction of all positives among them. */
  captured: number;
  /** captured / share: how many times the positive rate of random contact. */
  lift: number;
}

/** Cumulative gains and lift of pooled out-of-fold calibrated probabilities. */
export interface GainsSummary {
  curve: GainsPoint[];
  /** Positive rate in the top 10% of rows divided by the overall rate. */
  top_decile_lift: number;
  /** Share of positives in the top 10% / 20% of rows. */
  captured_top10: number;
  captured_top20: number;
}

/** A reference ranking scored on the same folds as the models. */
export interface BaselineMetrics {
  name: string;
  description: string;
  auc: number;
  pr_auc: number;
  top_decile_lift: number;
}

/** How the best model was chosen. */
export interface SelectionInfo {
  criterion: "pr_auc" | "auc" | "log_loss";
  best: string;
  rule: string;
}

/** Expected churners reached when contacting the top users of the scored population. */
export interface BudgetRow {
  contacts: number;
  /** contacts / scored users. */
  share: number;
  /** Sum of the contacted users' calibrated probabilities. */
  expected_churners: number;
}

/** Everything metrics.json says about one model. */
export interface ModelMetrics {
  /** ROC-AUC and PR-AUC (average precision) of the pooled raw out-of-fold scores; log loss of the calibrated ones. */
  auc: number;
  pr_auc: number;
  log_loss: number;
  /** At each fold's threshold chosen on the other folds' out-of-fold predictions, pooled. */
  f1: number;
  precision: number;
  recall: number;
  confusion: Confusion;
  /** Decision threshold of the final model on calibrated probabilities: max F1 on all calibrated out-of-fold predictions. */
  threshold: number;
  threshold_rule: string;
  cv: CvSummary;
  params: Record<string, unknown>;
  /** The candidates tried, the one selected and the criterion it was selected by (the same as between models). */
  search: { candidates: SearchEntry[]; selected: number; criterion: SelectCriterion; rule: string };
  roc: RocPoint[];
  pr: PrPoint[];
  /** Reliability bins of the calibrated out-of-fold probabilities. */
  calibration: CalibrationBin[];
  /** Reliability bins of the raw (uncalibrated, class-weighted) out-of-fold probabilities. */
  calibration_raw: CalibrationBin[];
  /** Reliability bins of the calibrated out-of-fold probabilities over 10 equal-count (quantile) bins, ties kept together: readable at a low base rate. */
  calibration_quantile: CalibrationBin[];
  /** Which calibrator was chosen (lower out-of-fold log loss) and probability quality before and after. */
  calibration_summary: { method: "sigmoid" | "isotonic"; raw: ProbabilityQuality; calibrated: ProbabilityQuality };
  /** Cumulative gains of the pooled out-of-fold calibrated probabilities. */
  gains: GainsSummary;
  importance: {
    permutation: FeatureScore[];
    /** Gain (trees) or mean |logit contribution| (lr) of the final model, per source feature. */
    model: FeatureScore[];
    model_kind: "gain" | "mean_abs_contribution";
  };
  /** Logistic regression only: coefficients on the original feature scale, per encoded column. */
  coefficients?: Array<{ column: string; coef: number; coef_std: number }>;
  intercept?: number;
  final_fit_seconds: number;
  backend?: string;
}

/** The metrics.json document of a run. */
export interface MetricsJson {
  mode: string;
  cutoff: string | string[] | null;
  horizon: number | null;
  label: string | null;
  dataset: {
    rows: number;
    users: number;
    positives: number;
    negatives: number;
    positive_rate: number;
    features: number;
    encoded_columns: number;
    folds: number;
    folds_requested: number;
    folds_note?: string;
    grouped_by_user: boolean;
    class_weight: "balanced" | "none";
    imbalance: string;
    seed: number;
  };
  models: Record<string, ModelMetrics>;
  /** Reference rankings on the same folds: the base rate (a constant) and a one-feature heuristic. */
  baselines: BaselineMetrics[];
  /** The criterion and the winner. */
  selection: SelectionInfo;
  /** Source attributes kept out of the model inputs (default gender and state). */
  excluded_attributes: string[];
  /** Best model on the scored population: top 5/10/20 % and top 25/50/100 users. */
  budget: BudgetRow[];
  /** Wall time and peak RSS of each stage of the run, in the order they started (lib/progress/stageTimer.ts). */
  timings?: StageTiming[];
}
