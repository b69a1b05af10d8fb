import type { ModelBundle } from "../models/serialize";
import { explainContributions, type Reason } from "./explainContributions";
import type { Cell } from "./types";

/** One scored row of a feature table, ranked by churn probability. */
export interface ScoredUser {
  userId: string;
  cutoff: Cell;
  probability: number;
  /** 1 = most likely to churn. */
  rank: number;
  /** probability >= the bundle's threshold. */
  atRisk: boolean;
  reasons: Reason[];
}

/**
 * Scores every row of a feature table with a trained bundle (its own encoder, so unseen categories
 * fall into "(other)"), ranks by decreasing probability and gives each row its top-k reasons.
 * @example
 * const ranked = scoreUsers(loadModel("out/models/gbt.json"), table, { topK: 3 });
 */
export function scoreUsers(bundle: ModelBundle, table: { rows: Array<Record<string, Cell>> }, options: { topK?: number } = {}): ScoredUser[] {
  const X = bundle.encoder.transform(table.rows);
  const p = bundle.model.predictProba(X);
  const reasons = explainContributions(bundle.model.contributions(X), bundle.encoder.sourceFeatures(), table.rows, options.topK ?? 3);
  const order = Array.from({ length: X.nRows }, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
  return order.map((i, k) => ({
    userId: String(table.rows[i].userId),
    cutoff: table.rows[i].cutoff ?? null,
    probability: p[i],
    rank: k + 1,
    atRisk: p[i] >= bundle.threshold,
    reasons: reasons[i],
  }));
}
