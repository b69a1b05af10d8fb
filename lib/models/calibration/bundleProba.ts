import { SparkifyError } from "../../errors";
import type { ModelBundle } from "../serialize/ModelBundle";
import type { Matrix } from "../types";
import type { ProbabilityCalibrator } from "./ProbabilityCalibrator";
import { rawScores } from "./rawScores";

/** The bundle's calibrator; a SparkifyError when the bundle has none (made before calibration existed). */
export function calibratorOf(bundle: Pick<ModelBundle, "calibrator" | "kind">): ProbabilityCalibrator {
  if (!bundle.calibrator) {
    throw new SparkifyError("E_MODEL_VERSION", `this ${bundle.kind} model has no probability calibrator (it was saved by an older version): retrain it with \`sparkify-churn run\` so its probabilities are calibrated`);
  }
  return bundle.calibrator;
}

/**
 * Calibrated churn probabilities of an encoded matrix with a trained bundle: the model's raw score
 * through the bundle's calibrator. This is what scores.csv and the report print.
 * @example
 * const b = loadModel("out/models/gbt.json");
 * const p = bundlePredictProba(b, b.encoder.transform(table.rows));
 */
export function bundlePredictProba(bundle: Pick<ModelBundle, "calibrator" | "kind" | "model">, X: Matrix): Float64Array {
  return calibratorOf(bundle).predictProba(rawScores(bundle.model, X));
}
