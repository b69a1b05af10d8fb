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
 * import { trainAndEvaluate } from "./lib/evaluation";
 * import { bundlePredictProba } from "./lib/models/calibration";
 * // A small feature table in the shape computeFeatures gives: one row per user, the label in `churn`.
 * const rows = Array.from({ length: 120 }, (_, i) => ({ userId: `u${i}`, songs: (i * 37) % 100, level: i % 3 ? "paid" : "free", churn: (i * 37) % 100 < 30 ? 1 : 0 }));
 * const dictionary = [{ name: "songs", type: "numeric" as const }, { name: "level", type: "categorical" as const }];
 * const table = { columns: ["userId", "songs", "level", "churn"], rows, dictionary, mode: "full-history" };
 * const { fitted } = await trainAndEvaluate(table, { models: ["gbt"], folds: 3, search: false, jobs: 1 });
 * const b = fitted.gbt!; // or loadModel("out/models/gbt.json")
 * const p = bundlePredictProba(b, b.encoder.transform(table.rows)); // calibrated churn probabilities
 * if (p.some((q) => !(q >= 0 && q <= 1))) throw new Error("not a probability");
 */
export function bundlePredictProba(bundle: Pick<ModelBundle, "calibrator" | "kind" | "model">, X: Matrix): Float64Array {
  return calibratorOf(bundle).predictProba(rawScores(bundle.model, X));
}
