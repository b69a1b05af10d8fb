import type { EdaData } from "../eda/runEda";
import type { DataReport } from "../ingest";

/** A ROC curve as parallel arrays or as a list of points (metrics.json holds points). */
export type RocInput = { fpr: ArrayLike<number>; tpr: ArrayLike<number> } | Array<{ fpr: number; tpr: number }>;

/** A precision-recall curve as parallel arrays or as a list of points. */
export type PrInput = { recall: ArrayLike<number>; precision: ArrayLike<number> } | Array<{ recall: number; precision: number }>;

/** A calibration bin under any of the field names evaluation code uses. */
export interface CalibrationInput {
  meanPredicted?: number | null;
  mean_predicted?: number | null;
  fractionPositive?: number | null;
  observedRate?: number | null;
  observed?: number | null;
  count?: number;
}

/** A feature score: `{feature, gain?, permutation?}` rows, or evaluation's `{feature, mean, std?}`. */
export interface ImportanceRowInput {
  feature: string;
  gain?: number;
  permutation?: number;
  mean?: number;
  std?: number;
}

/** How good probabilities are as probabilities: Brier score, log loss, ECE, mean predicted against observed. */
export interface ProbabilityQualityInput {
  brier?: number;
  log_loss?: number;
  ece?: number;
  mean_predicted?: number;
  observed_rate?: number;
}

/** Cumulative gains of a model's out-of-fold probabilities (metrics.json `gains`). */
export interface GainsInput {
  curve?: Array<{ share: number; captured: number; lift: number }>;
  top_decile_lift?: number;
  captured_top10?: number;
  captured_top20?: number;
}

/** A reference ranking scored on the same folds as the models. */
export interface BaselineInput {
  name: string;
  description?: string;
  auc?: number;
  pr_auc?: number;
  top_decile_lift?: number;
}

/** Expected churners reached by contacting the top `contacts` users of the scored population. */
export interface BudgetRowInput {
  contacts: number;
  share: number;
  expected_churners: number;
}

/** One model's entry of metrics.json; every part but the name is optional so partial runs still report. */
export interface ModelMetricsInput {
  auc?: number;
  pr_auc?: number;
  f1?: number;
  precision?: number;
  recall?: number;
  threshold?: number;
  log_loss?: number;
  cv?: {
    folds?: number;
    auc_mean?: number;
    auc_std?: number;
    pr_auc_mean?: number;
    pr_auc_std?: number;
    f1_mean?: number;
    f1_std?: number;
    log_loss_mean?: number;
    log_loss_std?: number;
  };
  roc?: RocInput;
  pr?: PrInput;
  /** Reliability bins of the calibrated probabilities. */
  calibration?: CalibrationInput[];
  /** Reliability bins of the raw (class-weighted, uncalibrated) scores. */
  calibration_raw?: CalibrationInput[];
  /** Reliability bins of the calibrated probabilities over equal-count (quantile) bins; the calibration chart prefers them. */
  calibration_quantile?: CalibrationInput[];
  calibration_summary?: { method?: string; raw?: ProbabilityQualityInput; calibrated?: ProbabilityQualityInput };
  gains?: GainsInput;
  threshold_rule?: string;
  confusion?: { tp: number; fp: number; tn: number; fn: number };
  /** Either a flat list, or evaluation's `{permutation, model, model_kind}`. */
  importance?: ImportanceRowInput[] | { permutation?: ImportanceRowInput[]; model?: ImportanceRowInput[]; model_kind?: string };
  /** Logistic regression: per encoded column, on the original and standardised scale. */
  coefficients?: Array<{ column?: string; feature?: string; coef: number; coef_std?: number }>;
}

/** metrics.json of a run (issue 5's shape), tolerant of missing parts. */
export interface MetricsInput {
  mode?: string;
  cutoff?: string | string[] | number | null;
  horizon?: number | null;
  label?: string | null;
  dataset?: Record<string, unknown> & { positive_rate?: number; users?: number; rows?: number; positives?: number; folds?: number; folds_note?: string; class_weight?: string };
  models: Record<string, ModelMetricsInput>;
  baselines?: BaselineInput[];
  /** The criterion that picked the best model, the winner and the rule in words. */
  selection?: { criterion?: string; best?: string; rule?: string };
  /** Source attributes kept out of the model inputs (not behaviour), e.g. gender and state. */
  excluded_attributes?: string[];
  budget?: BudgetRowInput[];
}

/** One row of the risk list (scores.csv): most likely churners first. */
export interface RiskRowInput {
  userId: string;
  /** Calibrated churn probability within the horizon. */
  probability: number;
  rank?: number;
  atRisk?: boolean;
  /** The time the user was scored at. */
  cutoff?: unknown;
  /** Top reasons: text, or objects with the effect in probability points and the text in words. */
  reasons?: Array<string | { feature: string; contribution?: number; value?: unknown; typical?: unknown; text?: string }>;
}

/** Everything a report shows; sections whose input is missing are left out, with a note. */
export interface ReportInput {
  title?: string;
  /** What was analysed (an input path or data set name). */
  source?: string;
  /** ISO time of the run (default: now). */
  generatedAt?: string;
  dataReport?: Partial<DataReport>;
  eda?: Partial<EdaData>;
  metrics?: MetricsInput;
  /** The model the run picked; default: the highest AUC. */
  bestModel?: string;
  risk?: RiskRowInput[];
  /** Rows of the risk list shown (default 25). */
  riskTop?: number;
  /** Descriptions of the features (default: lib/features' dictionary for the run's mode). */
  featureDictionary?: Array<{ name: string; description?: string; type?: string; group?: string }>;
  /** Free-text lines for the summary (e.g. timings). */
  notes?: string[];
}
