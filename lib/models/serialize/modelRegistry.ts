import { SparkifyError } from "../../errors";
import { RandomForest } from "../forest";
import { GradientBoostedTrees } from "../gbt";
import { LogisticRegression } from "../logistic";
import type { Classifier, Matrix, SavedModel } from "../types";

/** Short names of the model families, as used in metrics.json and on the command line. */
export type ModelKind = "lr" | "rf" | "gbt";

/** A classifier that can also explain its scores: per-row additive contributions, bias last. */
export interface ExplainableClassifier extends Classifier {
  /** nRows × (nCols + 1) contributions to the raw score (logit), bias last. */
  contributions(X: Matrix): Float64Array;
  /** Per-column importance (gain for trees, |standardised coefficient| for LR). */
  featureImportance(type?: "gain"): Float64Array;
}

/** How to build and reload one model family. */
export interface ModelFamily {
  /** A new, unfitted model with the given parameters. */
  create(params: Record<string, unknown>): ExplainableClassifier;
  /** Rebuilds a fitted model from its saved form. */
  fromJSON(saved: SavedModel): ExplainableClassifier;
}

const families = new Map<string, ModelFamily>([
  ["lr", { create: (p) => new LogisticRegression(p), fromJSON: (s) => LogisticRegression.fromJSON(s) }],
  ["rf", { create: (p) => new RandomForest(p), fromJSON: (s) => RandomForest.fromJSON(s) }],
  ["gbt", { create: (p) => new GradientBoostedTrees(p), fromJSON: (s) => GradientBoostedTrees.fromJSON(s) }],
]);

/** Registers (or replaces) a model family under a kind tag (lr, rf and gbt are built in). */
export function registerModelKind(kind: string, family: ModelFamily): void {
  families.set(kind, family);
}

/** The family of a kind; throws a SparkifyError listing the known kinds. */
export function modelFamily(kind: string): ModelFamily {
  const f = families.get(kind);
  if (!f) throw new SparkifyError("E_MODEL_KIND", `unknown model kind "${kind}"; known kinds: ${[...families.keys()].join(", ")}`);
  return f;
}

/** The kinds currently registered. */
export function modelKinds(): string[] {
  return [...families.keys()];
}
