import { averagePrecision, gainsCurve, rocAuc } from "./metrics";
import type { FoldPlan } from "./stratifiedGroupKFold";
import type { BaselineMetrics, FeatureTableLike, GainsSummary } from "./types";

/** Gains curve every 5 % of rows, top-decile lift and the share of positives in the top 10 % and 20 % of rows. */
export function gainsSummary(y: ArrayLike<number>, p: ArrayLike<number>): GainsSummary {
  const shares = Array.from({ length: 20 }, (_, k) => Math.round((k + 1) * 5) / 100);
  const curve = gainsCurve(y, p, shares);
  const at = (share: number) => curve.find((c) => Math.abs(c.share - share) < 1e-9) as (typeof curve)[number];
  return { curve, top_decile_lift: at(0.1).lift, captured_top10: at(0.1).captured, captured_top20: at(0.2).captured };
}

/** Features tried, in order, for the one-feature heuristic: the first the table has. */
const HEURISTIC_FEATURES: ReadonlyArray<{ name: string; words: string }> = [
  { name: "recency_days", words: "days since the user's last visit" },
  { name: "events_last_7d", words: "events in the last 7 days" },
  { name: "n_events", words: "events so far" },
];

/**
 * Reference rankings scored on the same folds as the models, pooled the same way: "base rate" (every
 * row the same score, the training positive rate: ROC-AUC 0.5, average precision = the positive rate,
 * lift 1) and a one-feature heuristic (recency when the table has it; else the numeric feature with
 * the best training ROC-AUC of each fold) whose direction — higher or lower means more risk — is
 * chosen on each fold's training rows, missing values at the training median.
 */
export function baselineMetrics(table: FeatureTableLike, y: Float64Array, plan: FoldPlan): BaselineMetrics[] {
  const n = y.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const constant = new Float64Array(n).fill(pos / Math.max(1, n));
  const out: BaselineMetrics[] = [
    {
      name: "base rate",
      description: `every user gets the same score, the positive rate (${(100 * pos / Math.max(1, n)).toFixed(1)} %): no ranking at all`,
      auc: rocAuc(y, constant), pr_auc: averagePrecision(y, constant), top_decile_lift: gainsSummary(y, constant).top_decile_lift,
    },
  ];
  const h = HEURISTIC_FEATURES.find((f) => table.dictionary.some((d) => d.name === f.name));
  const numeric = table.dictionary.filter((d) => d.type === "numeric").map((d) => d.name);
  if (!h && numeric.length === 0) return out;
  const column = (name: string) => Float64Array.from(table.rows, (r) => (typeof r[name] === "number" ? (r[name] as number) : NaN));
  const columns = new Map((h ? [h.name] : numeric).map((name) => [name, column(name)]));
  const score = new Float64Array(n);
  const signs: number[] = [];
  const picked = new Set<string>();
  for (const fold of plan.folds) {
    const yTrain = Float64Array.from(fold.train, (i) => y[i]);
    let best: { name: string; sign: number; auc: number; median: number } | null = null;
    for (const [name, raw] of columns) {
      const trainVals = Float64Array.from(fold.train, (i) => raw[i]).filter((v) => !Number.isNaN(v)).sort();
      const median = trainVals.length ? trainVals[Math.floor(trainVals.length / 2)] : 0;
      const auc = rocAuc(yTrain, Float64Array.from(fold.train, (i) => (Number.isNaN(raw[i]) ? median : raw[i])));
      const sign = Number.isNaN(auc) || auc >= 0.5 ? 1 : -1;
      const strength = Number.isNaN(auc) ? 0.5 : Math.max(auc, 1 - auc);
      if (!best || strength > best.auc) best = { name, sign, auc: strength, median };
    }
    const b = best as NonNullable<typeof best>;
    const raw = columns.get(b.name) as Float64Array;
    signs.push(b.sign);
    picked.add(b.name);
    for (const i of fold.test) score[i] = b.sign * (Number.isNaN(raw[i]) ? b.median : raw[i]);
  }
  const direction = signs.every((s) => s === 1) ? "more" : signs.every((s) => s === -1) ? "fewer" : "more or fewer (by fold)";
  out.push(
    h
      ? {
        name: h.name === "recency_days" ? "recency" : h.name,
        description: `rank users by ${h.words} alone: ${direction} means more risk, the direction chosen on each fold's training rows`,
        auc: rocAuc(y, score), pr_auc: averagePrecision(y, score), top_decile_lift: gainsSummary(y, score).top_decile_lift,
      }
      : {
        name: "best single feature",
        description: `rank users by the one numeric feature with the best ROC-AUC on each fold's training rows (${[...picked].join(", ")})`,
        auc: rocAuc(y, score), pr_auc: averagePrecision(y, score), top_decile_lift: gainsSummary(y, score).top_decile_lift,
      },
  );
  return out;
}
