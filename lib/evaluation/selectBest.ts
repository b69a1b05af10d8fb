import { SparkifyError } from "../errors";

/** What the best model is chosen by. */
export type SelectCriterion = "pr_auc" | "auc" | "log_loss";

/** The sentence metrics.json gives for each criterion. */
export const SELECTION_RULES: Record<SelectCriterion, string> = {
  pr_auc: "highest average precision (PR-AUC) of the pooled out-of-fold scores: at a low churn rate it rewards ranking the few churners first, where ROC-AUC is dominated by the many non-churners",
  auc: "highest ROC-AUC of the pooled out-of-fold scores",
  log_loss: "lowest log loss of the pooled out-of-fold calibrated probabilities: the most accurate probabilities",
};

/** The scores a model is ranked by (metrics.json's, or a report's looser input where any may be missing). */
export interface RankedScores {
  auc?: number | null;
  pr_auc?: number | null;
  log_loss?: number | null;
}

/** On an exact tie of the criterion, the metric that decides next. */
const TIE_BREAK: Record<SelectCriterion, SelectCriterion> = { auc: "pr_auc", pr_auc: "auc", log_loss: "pr_auc" };

/**
 * The one best-model picker (training, the pipeline and the report all use it): the model with the highest
 * PR-AUC or ROC-AUC, or the lowest log loss. An exact tie goes to the other ranking metric (ROC-AUC and
 * PR-AUC break each other's ties; PR-AUC breaks log loss's), then to the earlier model; a missing or NaN
 * score loses. `preferred`, a choice already made (metrics.json's selection.best), wins when it is among
 * the models. Throws E_EMPTY_INPUT when there is no model.
 * @example
 * import { selectBest } from "./lib/evaluation/selectBest";
 * const models = { lr: { auc: 0.80, pr_auc: 0.40, log_loss: 0.30 }, gbt: { auc: 0.78, pr_auc: 0.45, log_loss: 0.31 } };
 * if (selectBest(models, "pr_auc") !== "gbt") throw new Error("PR-AUC picks gbt");
 * if (selectBest(models, "auc") !== "lr") throw new Error("ROC-AUC picks lr");
 * if (selectBest(models, "auc", "gbt") !== "gbt") throw new Error("a choice already made is kept");
 */
export function selectBest(models: Readonly<Record<string, RankedScores>>, criterion: SelectCriterion, preferred?: string): string {
  const entries = Object.entries(models);
  if (entries.length === 0) throw new SparkifyError("E_EMPTY_INPUT", "selectBest: no models to choose from");
  if (preferred !== undefined && Object.hasOwn(models, preferred)) return preferred;
  // Higher is better for every key; a missing or NaN score is -Infinity.
  const score = (m: RankedScores, c: SelectCriterion): number => {
    const v = m[c];
    if (typeof v !== "number" || Number.isNaN(v)) return -Infinity;
    return c === "log_loss" ? -v : v;
  };
  const better = (b: RankedScores, a: RankedScores): boolean => {
    const d = score(b, criterion) - score(a, criterion);
    if (d !== 0 && !Number.isNaN(d)) return d > 0;
    return score(b, TIE_BREAK[criterion]) > score(a, TIE_BREAK[criterion]);
  };
  return entries.reduce((a, b) => (better(b[1], a[1]) ? b : a))[0];
}
