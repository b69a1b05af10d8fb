import type { CalibrationBin, Confusion, PrPoint, RocPoint } from "./metrics";

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
  auc_mean: number;
  auc_std: number;
}

/** Everything metrics.json says about one model. */
export interface ModelMetrics {
  /** ROC-AUC, PR-AUC (average precision) and log loss of the pooled out-of-fold predictions. */
  auc: number;
  pr_auc: number;
  log_loss: number;
  /** At each fold's threshold chosen on the other folds' out-of-fold predictions, pooled. */
  f1: number;
  precision: number;
  recall: number;
  confusion: Confusion;
  /** Decision threshold of the final model: max F1 on all out-of-fold predictions. */
  threshold: number;
  threshold_rule: string;
  cv: CvSummary;
  params: Record<string, unknown>;
  search: { candidates: SearchEntry[]; selected: number; rule: string };
  roc: RocPoint[];
  pr: PrPoint[];
  calibration: CalibrationBin[];
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
}
