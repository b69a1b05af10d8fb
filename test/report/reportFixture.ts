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

function modelMetrics(key: string, y: number[], p: number[], rnd: () => number): ModelMetricsInput {
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
    calibration: calibrationTable(y, p),
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
export function fixtureMetrics(seed = 11): MetricsInput {
  const { y, scores } = synthetic(seed);
  const rnd = seededRandom(seed + 1);
  const positives = y.reduce((s, t) => s + t, 0);
  return {
    mode: "forward",
    cutoff: "2018-11-15T00:00:00.000Z",
    horizon: 14,
    label: "cancel",
    dataset: { rows: y.length, users: y.length, positives, negatives: y.length - positives, positive_rate: positives / y.length },
    models: Object.fromEntries(Object.entries(scores).map(([k, p]) => [k, modelMetrics(k, y, p, rnd)])),
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
    reasons: [{ feature: "days_since_last_session", contribution: 0.8 - i * 0.01, value: 12.5 }, "thumbs_down_per_song high"],
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
