import { describeReason } from "../features/dictionary";
import { bundlePredictProba, calibratorOf } from "../models/calibration";
import type { ModelBundle } from "../models/serialize";
import type { Reason } from "./explainContributions";
import { probabilityEffects, rawContributions } from "./explainRisk";
import type { Cell } from "./types";

/** One scored row of a feature table, ranked by churn probability. */
export interface ScoredUser {
  userId: string;
  cutoff: Cell;
  /** Calibrated churn probability within the horizon. */
  probability: number;
  /** 1 = most likely to churn. */
  rank: number;
  /** probability >= the bundle's threshold (chosen on calibrated out-of-fold probabilities). */
  atRisk: boolean;
  /** The features that raise this user's risk most, largest effect first; every contribution > 0 (probability points). */
  reasons: Reason[];
}

/**
 * Scores every row of a feature table with a trained bundle (its own encoder, so unseen categories
 * fall into "(other)"), ranks by decreasing calibrated probability and gives each row its top-k
 * reasons: the source features (one-hot columns summed back) whose effect on the calibrated
 * probability is positive and largest (see probabilityEffects for the exact-in-total rule), in words
 * with the user's value and the training median, or for a categorical the most frequent category when the user's differs.
 * @example
 * import { scoreUsers, trainAndEvaluate } from "./lib/evaluation";
 * // A small feature table in the shape computeFeatures gives: one row per user, the label in `churn`.
 * const rows = Array.from({ length: 120 }, (_, i) => ({ userId: `u${i}`, songs: (i * 37) % 100, level: i % 3 ? "paid" : "free", churn: (i * 37) % 100 < 30 ? 1 : 0 }));
 * const dictionary = [{ name: "songs", type: "numeric" as const }, { name: "level", type: "categorical" as const }];
 * const table = { columns: ["userId", "songs", "level", "churn"], rows, dictionary, mode: "full-history" };
 * const { fitted } = await trainAndEvaluate(table, { models: ["lr"], folds: 3, search: false, jobs: 1 });
 * const ranked = scoreUsers(fitted.lr!, table, { topK: 3 }); // or a bundle from loadModel("out/models/lr.json")
 * if (ranked[0].rank !== 1 || ranked[0].probability < ranked[ranked.length - 1].probability) throw new Error("not ranked");
 */
export function scoreUsers(bundle: ModelBundle, table: { rows: Array<Record<string, Cell>> }, options: { topK?: number } = {}): ScoredUser[] {
  const X = bundle.encoder.transform(table.rows);
  const p = bundlePredictProba(bundle, X);
  const { effects } = probabilityEffects(rawContributions(bundle.kind, bundle.model, X), X.nCols, calibratorOf(bundle));
  const featureOf = bundle.encoder.sourceFeatures();
  const features = [...new Set(featureOf)];
  const slot = featureOf.map((f) => features.indexOf(f));
  const topK = options.topK ?? 3;
  const typeOf = new Map((bundle.encoder.features_ ?? []).map((f) => [f.name, f.type]));
  const sums = new Float64Array(features.length);
  const reasons: Reason[][] = [];
  for (let i = 0; i < X.nRows; i++) {
    sums.fill(0);
    for (let j = 0; j < X.nCols; j++) sums[slot[j]] += effects[i * X.nCols + j];
    const order = features.map((_, k) => k).filter((k) => sums[k] > 1e-6).sort((a, b) => sums[b] - sums[a] || a - b).slice(0, topK);
    reasons.push(order.map((k) => {
      const feature = features[k];
      const value = table.rows[i][feature] ?? null;
      const typical = bundle.typical?.[feature] ?? null;
      return { feature, contribution: sums[k], value, typical, text: describeReason(feature, value as number | string | null, typical, typeOf.get(feature)) };
    }));
  }
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
