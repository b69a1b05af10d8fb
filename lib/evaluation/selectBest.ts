import type { ModelMetrics } from "./types";

/** What the best model is chosen by. */
export type SelectCriterion = "pr_auc" | "auc" | "log_loss";

/** The sentence metrics.json gives for each criterion. */
export const SELECTION_RULES: Record<SelectCriterion, string> = {
  pr_auc: "highest average precision (PR-AUC) of the pooled out-of-fold scores: at a low churn rate it rewards ranking the few churners first, where ROC-AUC is dominated by the many non-churners",
  auc: "highest ROC-AUC of the pooled out-of-fold scores",
  log_loss: "lowest log loss of the pooled out-of-fold calibrated probabilities: the most accurate probabilities",
};

/** The model name that is best by the criterion (ties keep the earlier model); NaN scores lose. */
export function selectBest(models: Record<string, Pick<ModelMetrics, "auc" | "pr_auc" | "log_loss">>, criterion: SelectCriterion): string {
  const entries = Object.entries(models);
  if (entries.length === 0) throw new Error("selectBest: no models");
  const score = (m: Pick<ModelMetrics, "auc" | "pr_auc" | "log_loss">): number => {
    const v = criterion === "log_loss" ? -m.log_loss : m[criterion];
    return Number.isNaN(v) ? -Infinity : v;
  };
  return entries.reduce((a, b) => (score(b[1]) > score(a[1]) ? b : a))[0];
}
