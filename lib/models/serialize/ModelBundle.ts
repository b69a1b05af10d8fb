import type { ProbabilityCalibrator, SavedCalibrator } from "../calibration";
import type { FeatureEncoder, SavedEncoder } from "../encoding";
import type { SavedModel } from "../types";
import type { ExplainableClassifier, ModelKind } from "./modelRegistry";

/** Version of the bundle file layout written by saveModel. */
export const BUNDLE_FORMAT_VERSION = 1;

/** What travels with a trained model: how to encode a feature table, the model, and the threshold. */
export interface ModelBundle {
  formatVersion: number;
  kind: ModelKind;
  encoder: FeatureEncoder;
  model: ExplainableClassifier;
  /** Decision threshold on the probability (max F1 on out-of-fold predictions by default). */
  threshold: number;
  /** Encoded column names the model was trained on, in order. */
  featureColumns: string[];
  /** ISO time of the final fit. */
  trainedAt: string;
  /** Feature-table mode ("forward" | "full-history"), cutoff(s) and horizon in days. */
  mode: string;
  cutoff: string | string[] | null;
  horizon: number | null;
  /** Label definition, e.g. "cancel". */
  label?: string;
  /** Headline cross-validated metrics (auc, pr_auc, f1, …). */
  metrics: Record<string, number>;
  /** Maps the model's raw scores to calibrated probabilities (fitted on out-of-fold scores); scoring requires it. */
  calibrator?: ProbabilityCalibrator;
  /** Typical value of each source feature in the training table (median, or the most frequent category), for reasons. */
  typical?: Record<string, number | string | null>;
  /** Source attributes left out of the model inputs (e.g. gender, state). */
  excludedAttributes?: string[];
}

/** The JSON form of a ModelBundle on disk. */
export interface SavedBundle extends Omit<ModelBundle, "encoder" | "model" | "calibrator"> {
  encoder: SavedEncoder;
  model: SavedModel;
  calibrator?: SavedCalibrator;
}
