import type { Classifier, Matrix } from "../types";

/** What a calibrator reads from a model: its decision function (log-odds) when it has one, else its probability. */
export type ScoreKind = "decision_function" | "predict_proba";

/** The score kind of a model, as scikit-learn's CalibratedClassifierCV picks it. */
export function scoreKindOf(model: Classifier): ScoreKind {
  return typeof (model as { decisionFunction?: unknown }).decisionFunction === "function" ? "decision_function" : "predict_proba";
}

/** The model's raw (uncalibrated) scores on X, of its score kind. */
export function rawScores(model: Classifier, X: Matrix): Float64Array {
  const m = model as Classifier & { decisionFunction?: (X: Matrix) => Float64Array };
  return typeof m.decisionFunction === "function" ? m.decisionFunction(X) : model.predictProba(X);
}

/** Probabilities back to the model's score kind (logit for decision functions), for out-of-fold predictions kept as probabilities. */
export function scoresFromProba(kind: ScoreKind, p: ArrayLike<number>): Float64Array {
  if (kind === "predict_proba") return Float64Array.from(p);
  return Float64Array.from(p, (q) => {
    const c = Math.min(Math.max(q, 1e-15), 1 - 1e-15);
    return Math.log(c / (1 - c));
  });
}
