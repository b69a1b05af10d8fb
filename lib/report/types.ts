import type { EdaData } from "../eda/runEda";
import type { DataReport } from "../store/types";

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
  calibration?: CalibrationInput[];
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
  dataset?: Record<string, unknown> & { positive_rate?: number; users?: number; rows?: number };
  models: Record<string, ModelMetricsInput>;
}

/** One row of the risk list (scores.csv): most likely churners first. */
export interface RiskRowInput {
  userId: string;
  probability: number;
  rank?: number;
  atRisk?: boolean;
  /** Top reasons: text, or `{feature, contribution?, value?}` objects. */
  reasons?: Array<string | { feature: string; contribution?: number; value?: unknown }>;
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
  /** Free-text lines for the summary (e.g. timings). */
  notes?: string[];
}
