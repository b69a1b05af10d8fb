import { averagePrecision, bestF1Threshold, calibrationTable, confusionAt, logLoss, precisionRecallF1, prCurve, rocAuc, rocCurve } from "../../lib/evaluation/metrics";
import type { MetricsInput, ModelMetricsInput, ReportInput } from "../../lib/report";
import { seededRandom } from "../plots/snapshot";

const FEATURES = ["days_since_last_session", "thumbs_down_per_song", "songs_per_day", "ads_per_song", "level_paid", "sessions_last_14d"];

/** Labels (22% positive) and three models' scores of different quality, from a seeded generator. */
function synthetic(seed: number, n = 400): { y: number[]; scores: Record<string, number[]> } {
  const rnd = seededRandom(seed);
  const y = Array.from({ length: n }, () => (rnd() < 0.22 ? 1 : 0));
  const noisy = (signal: number) => y.map((t) => 1 / (1 + Math.exp(-(signal * (t - 0.3) + (rnd() - 0.5) * 9))));
  return { y, scores: { lr: noisy(2), rf: noisy(3.5), gbt: noisy(4.5) } };
}

/** Cumulative gains at 5 % steps: the share of positives among the top share of rows by score. */
export function gainsOf(y: number[], p: number[]): NonNullable<ModelMetricsInput["gains"]> {
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  const positives = y.reduce((s, t) => s + t, 0);
  const curve = Array.from({ length: 20 }, (_, j) => {
    const share = (j + 1) / 20;
    const top = order.slice(0, Math.round(share * y.length));
    const captured = top.reduce((s, i) => s + y[i], 0) / positives;
    return { share, captured, lift: captured / share };
  });
  return { curve, top_decile_lift: curve[1].lift, captured_top10: curve[1].captured, captured_top20: curve[3].captured };
}

/** Brier, log loss, ECE (10 bins), mean predicted and observed rate of probabilities `p`. */
function quality(y: number[], p: number[]) {
  const n = y.length;
  const brier = y.reduce((s, t, i) => s + (p[i] - t) ** 2, 0) / n;
  const bins = calibrationTable(y, p);
  const ece = bins.reduce((s, b) => s + (b.count / n) * Math.abs((b.meanPredicted ?? 0) - (b.observedRate ?? 0)), 0);
  return { brier, log_loss: logLoss(y, p), ece, mean_predicted: p.reduce((s, v) => s + v, 0) / n, observed_rate: y.reduce((s, v) => s + v, 0) / n };
}

function modelMetrics(key: string, y: number[], p: number[], rnd: () => number): ModelMetricsInput {
  // A monotone map of the scores onto the base rate stands in for a fitted calibrator (ranking unchanged).
  const rate = y.reduce((s, t) => s + t, 0) / y.length;
  const meanP = p.reduce((s, v) => s + v, 0) / p.length;
  const calibrated = p.map((v) => Math.min(0.999, (v * rate) / meanP));
  const { threshold } = bestF1Threshold(y, p);
  const confusion = confusionAt(y, p, threshold);
  const prf = precisionRecallF1(confusion);
  const m: ModelMetricsInput = {
    auc: rocAuc(y, p),
    pr_auc: averagePrecision(y, p),
    log_loss: logLoss(y, p),
    ...prf,
    threshold,
    confusion,
    cv: { folds: 5, auc_mean: rocAuc(y, p) - 0.01, auc_std: 0.02, pr_auc_mean: averagePrecision(y, p), pr_auc_std: 0.03, f1_mean: prf.f1, f1_std: 0.04 },
    roc: rocCurve(y, p),
    pr: prCurve(y, p),
    calibration: calibrationTable(y, calibrated),
    calibration_raw: calibrationTable(y, p),
    calibration_summary: { method: key === "rf" ? "isotonic" : "sigmoid", raw: quality(y, p), calibrated: quality(y, calibrated) },
    gains: gainsOf(y, p),
    importance: {
      permutation: FEATURES.map((f) => ({ feature: f, mean: rnd() * 0.1, std: 0.01 })),
      model: FEATURES.map((f) => ({ feature: f, mean: rnd() })),
      model_kind: key === "lr" ? "abs_coef_std" : "gain",
    },
  };
  if (key === "lr") m.coefficients = FEATURES.map((f) => ({ column: f, coef: (rnd() - 0.5) * 4, coef_std: (rnd() - 0.5) * 2 }));
  return m;
}

/** metrics.json of a run with lr, rf and gbt, in issue 5's shape, built with lib/evaluation's metrics. */
export function fixtureMetrics(seed = 11, n = 400): MetricsInput {
  const { y, scores } = synthetic(seed, n);
  const rnd = seededRandom(seed + 1);
  const positives = y.reduce((s, t) => s + t, 0);
  return {
    mode: "forward",
    cutoff: ["2018-10-22T00:00:00.000Z", "2018-10-29T00:00:00.000Z", "2018-11-05T00:00:00.000Z", "2018-11-12T00:00:00.000Z"],
    horizon: 14,
    label: "cancel",
    dataset: { rows: y.length, users: Math.round(y.length / 4), positives, negatives: y.length - positives, positive_rate: positives / y.length, folds: 5 },
    models: Object.fromEntries(Object.entries(scores).map(([k, p]) => [k, modelMetrics(k, y, p, rnd)])),
    baselines: [
      { name: "base rate", description: "every user gets the same score: no ranking at all", auc: 0.5, pr_auc: positives / y.length, top_decile_lift: 1 },
      { name: "recency", description: "rank users by days since the last visit alone", auc: 0.56, pr_auc: (positives / y.length) * 1.2, top_decile_lift: 1.3 },
    ],
    selection: { criterion: "pr_auc", best: "gbt", rule: "highest average precision (PR-AUC) of the pooled out-of-fold scores" },
    excluded_attributes: ["gender", "state"],
    budget: [
      { contacts: 2, share: 0.05, expected_churners: 1.5 },
      { contacts: 4, share: 0.1, expected_churners: 2.7 },
      { contacts: 8, share: 0.2, expected_churners: 4.6 },
    ],
  };
}

/** A risk list of `n` users, with one hostile user id to check escaping. */
export function fixtureRisk(n = 40): NonNullable<ReportInput["risk"]> {
  const rnd = seededRandom(5);
  const probs = Array.from({ length: n }, () => rnd()).sort((a, b) => b - a);
  return probs.map((p, i) => ({
    userId: i === 0 ? "<script>alert(1)</script>" : `user-${100 + i}`,
    probability: p,
    rank: i + 1,
    atRisk: p >= 0.5,
    cutoff: "2018-12-03T01:11:25.001Z",
    reasons: [
      { feature: "recency_days", contribution: 0.064 - i * 0.001, value: 12.5, typical: 2.9, text: "12.5 days since the last visit (typical 2.9)" },
      { feature: "thumbs_down_per_song", contribution: 0.012, value: 0.031, typical: 0.012, text: "3.1 thumbs down per 100 songs (typical 1.2)" },
    ],
  }));
}

/** A data report whose lines add up. */
export const FIXTURE_DATA_REPORT = {
  lines: 6400,
  kept: 6150,
  dropped: { empty_user_id: 200, duplicate: 30, blank_line: 10 },
  flagged: { registration_after_first_event: 3 },
  quarantined: 10,
  quarantineFile: "/tmp/run/quarantine.jsonl",
  sources: [{ source: "data/sample/sparkify-sample.jsonl.gz", lines: 6400, bytes: 1_234_567 }],
};
