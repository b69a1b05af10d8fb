import { SparkifyError } from "../errors";
import { timedStage } from "../progress/stageTimer";
import { ProbabilityCalibrator, type CalibrationMethod } from "../models/calibration";
import { FeatureEncoder, excludedAttributes } from "../models/encoding";
import { LogisticRegression } from "../models/logistic";
import { BUNDLE_FORMAT_VERSION, type ModelBundle, type ModelKind } from "../models/serialize";
import { takeRows, type Matrix } from "../models/types";
import { crossValidate, fitModel, modelParams, type CvRun } from "./crossValidate";
import { CvWorkerPool, defaultJobs } from "./cvWorkerPool";
import { sumByFeature } from "./explainContributions";
import {
  addConfusion, averagePrecision, bestF1Threshold, calibrationQuantileTable, calibrationTable, confusionAt, logLoss, meanStd,
  precisionRecallF1, prCurve, probabilityQuality, rocAuc, rocCurve, type Confusion,
} from "./metrics";
import { permutationImportance } from "./permutationImportance";
import { searchSpace } from "./searchSpace";
import { stratifiedGroupKFold, type FoldPlan } from "./stratifiedGroupKFold";
import { baselineMetrics, gainsSummary } from "./baselines";
import { selectBest, SELECTION_RULES, type SelectCriterion } from "./selectBest";
import type { Cell, FeatureScore, FeatureTableLike, MetricsJson, ModelMetrics, SearchEntry } from "./types";

/** Options of trainAndEvaluate. */
export interface TrainOptions {
  /** Model kinds to train, in order. Default ["lr", "rf", "gbt"]. */
  models?: ModelKind[];
  /** Folds asked for (fewer when the smaller class has fewer users). Default 5. */
  folds?: number;
  seed?: number;
  /** Try the small grid of searchSpace (true) or only its default candidate. Default true. */
  search?: boolean;
  /** "balanced" (default) weighs churners and non-churners equally in every fit. */
  classWeight?: "balanced" | "none";
  /** Shuffles per feature in permutation importance (0 skips it). Default 2. */
  permutationRepeats?: number;
  /** Most frequent categories one-hot encoded per categorical column. Default 20. */
  maxCategories?: number;
  /** How the best model is chosen: average precision (default, suits a low base rate), ROC-AUC or calibrated log loss. */
  select?: SelectCriterion;
  /** Non-behaviour attributes to use as inputs after all (of "gender", "state"; default none). */
  include?: string[];
  /** Calibration method: "auto" (default: the lower cross-fitted log loss of sigmoid and isotonic), "sigmoid" or "isotonic". */
  calibration?: CalibrationMethod | "auto";
  /**
   * Threads that fit cross-validation folds in parallel (every candidate's folds are queued at once).
   * Default: the cores available; 1 fits them one after another on this thread. The results are
   * identical either way.
   */
  jobs?: number;
  /** Progress messages (e.g. console.error). */
  onProgress?: (message: string) => void;
}

/** What a training run produces: the metrics.json document, the final models, out-of-fold scores. */
export interface TrainResult {
  metrics: MetricsJson;
  fitted: Partial<Record<ModelKind, ModelBundle>>;
  /** Pooled out-of-fold raw (class-weighted) probabilities of the selected parameters, per model, in table row order. */
  oof: Partial<Record<ModelKind, Float64Array>>;
  /** Pooled out-of-fold calibrated probabilities (each fold calibrated by a map fitted on the other folds). */
  oofCalibrated: Partial<Record<ModelKind, Float64Array>>;
  /** The model chosen by the selection criterion. */
  best: ModelKind;
  y: Float64Array;
  folds: FoldPlan;
  encoder: FeatureEncoder;
  X: Matrix;
}

const THRESHOLD_RULE = "max F1 on calibrated probabilities: each fold's threshold is chosen on the other folds' calibrated out-of-fold predictions; the final model's on all of them";
/** How a model's candidate is chosen: by the criterion that chooses between models, computed the same way. */
function searchRule(criterion: SelectCriterion): string {
  const what = { pr_auc: "highest average precision (PR-AUC)", auc: "highest ROC-AUC", log_loss: "lowest calibrated log loss" }[criterion];
  return `${what} of the pooled out-of-fold predictions over the same folds as the reported CV, the criterion that chooses between models (--select ${criterion}); not nested, so the selected candidate's CV figures are slightly optimistic`;
}

/** Reads the 0/1 label column `churn`; throws naming the row on anything else. */
export function labelsOf(table: FeatureTableLike): Float64Array {
  return Float64Array.from(table.rows, (r, i) => {
    const v = r.churn;
    if (v !== 0 && v !== 1) throw new SparkifyError("E_BAD_INPUT", `feature table row ${i} (userId ${String(r.userId)}): churn = ${JSON.stringify(v)}; expected 0 or 1`);
    return v;
  });
}

/** The cutoff(s) of a table as ISO strings, for metrics.json and bundles. */
export function cutoffOf(table: FeatureTableLike): string | string[] | null {
  const c = table.cutoffs;
  const iso = (x: unknown): string => (x instanceof Date ? x.toISOString() : typeof x === "number" ? new Date(x).toISOString() : String(x));
  if (c === undefined || c === null) return null;
  if (Array.isArray(c)) return c.length === 1 ? iso(c[0]) : c.map(iso);
  return iso(c);
}

/**
 * Cross-validates, tunes and fits each requested model on a feature table: stratified group k-fold
 * by user (folds fitted on `jobs` worker threads), a small grid per model selected by the same
 * criterion as the model (`select`, average precision by default), thresholds by max F1 on out-of-fold
 * predictions, permutation importance on the held-out folds, then a final fit on all rows.
 * @example
 * import { trainAndEvaluate } from "./lib/evaluation";
 * // A small feature table in the shape computeFeatures gives: one row per user, the label in `churn`.
 * const rows = Array.from({ length: 120 }, (_, i) => ({ userId: `u${i}`, songs: (i * 37) % 100, level: i % 3 ? "paid" : "free", churn: (i * 37) % 100 < 30 ? 1 : 0 }));
 * const dictionary = [{ name: "songs", type: "numeric" as const }, { name: "level", type: "categorical" as const }];
 * const table = { columns: ["userId", "songs", "level", "churn"], rows, dictionary, mode: "full-history" };
 * const { metrics, fitted } = await trainAndEvaluate(table, { models: ["lr", "gbt"], folds: 3, seed: 42, search: false, jobs: 1 });
 * // metrics is metrics.json (cross-validated scores, the selection); fitted holds a saved-ready bundle per model
 * if (!(metrics.models.lr!.auc > 0.9) || !fitted.gbt) throw new Error(`lr ROC-AUC ${metrics.models.lr?.auc}`);
 */
export async function trainAndEvaluate(table: FeatureTableLike, options: TrainOptions = {}): Promise<TrainResult> {
  const kinds = options.models ?? ["lr", "rf", "gbt"];
  const seed = options.seed ?? 42;
  const classWeight = options.classWeight ?? "balanced";
  const log = options.onProgress ?? (() => undefined);
  if (table.rows.length === 0) throw new SparkifyError("E_EMPTY_INPUT", "the feature table has no rows: nothing to train on");
  const y = labelsOf(table);
  const users = table.rows.map((r) => String(r.userId));
  // The encoder is unsupervised (category frequencies only), so fitting it on all rows leaks no label.
  const excluded = excludedAttributes(options.include ?? []);
  const encoder = new FeatureEncoder({ maxCategories: options.maxCategories ?? 20, exclude: ["userId", "cutoff", "churn", ...excluded] });
  const X = await encoder.fitTransform(table.rows, table.dictionary);
  const featureOf = encoder.sourceFeatures();
  const plan = stratifiedGroupKFold(y, users, options.folds ?? 5, seed);
  if (plan.note) log(plan.note);
  const positives = y.reduce((a, v) => a + v, 0);
  const metrics: MetricsJson = {
    mode: table.mode,
    cutoff: cutoffOf(table),
    horizon: table.horizonDays ?? null,
    label: table.label === undefined || table.label === null ? null : String(table.label),
    dataset: {
      rows: table.rows.length,
      users: new Set(users).size,
      positives,
      negatives: table.rows.length - positives,
      positive_rate: positives / table.rows.length,
      features: encoder.featureNames().length,
      encoded_columns: X.nCols,
      folds: plan.k,
      folds_requested: plan.requested,
      ...(plan.note ? { folds_note: plan.note } : {}),
      grouped_by_user: true,
      class_weight: classWeight,
      imbalance:
        classWeight === "balanced"
          ? "class weights n/(2·n_class) in every fit (logistic regression's classWeight, sample weights for the trees); the raw scores therefore sit above the base rate, and each model's calibrator (fitted on out-of-fold scores) maps them back to probabilities"
          : "no reweighting: models fit the raw class balance",
      seed,
    },
    models: {},
    baselines: baselineMetrics(table, y, plan),
    selection: { criterion: options.select ?? "pr_auc", best: "", rule: SELECTION_RULES[options.select ?? "pr_auc"] },
    excluded_attributes: excluded,
    budget: [],
  };
  const typical = typicalValues(table, encoder.featureNames());
  const result: TrainResult = { metrics, fitted: {}, oof: {}, oofCalibrated: {}, best: kinds[0], y, folds: plan, encoder, X };
  const criterion = metrics.selection.criterion;
  const jobs = options.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new SparkifyError("E_BAD_OPTION", `jobs = ${jobs}: expected an integer >= 1`);
  const pool = jobs > 1 ? new CvWorkerPool(jobs, X, y, classWeight) : undefined;
  try {
    for (const kind of kinds) {
      const candidates = searchSpace(kind, options.search ?? true).map((p) => (kind === "lr" ? p : { ...p, seed }));
      const entries: SearchEntry[] = [];
      let best: { run: CvRun; params: Record<string, unknown>; index: number; score: number } | undefined;
      // In parallel, every candidate's folds are queued at once (one stage); serially, one stage per candidate.
      const runs: CvRun[] = pool
        ? await timedStage(`${kind}: search, CV of ${candidates.length} candidate(s) on ${jobs} threads`, () => Promise.all(candidates.map((params) => pool.crossValidate(kind, params, plan, X.nRows))))
        : [];
      for (const [index, params] of candidates.entries()) {
        const run = pool ? runs[index] : await timedStage(`${kind}: search, CV of candidate ${index + 1}/${candidates.length}`, () => crossValidate(kind, params, X, y, plan, classWeight));
        const c = await candidateScores(run, y, plan, options.calibration ?? "auto");
        entries.push({ params: modelParams(kind, params, classWeight), auc: c.auc, pr_auc: c.pr_auc, log_loss: c.log_loss, auc_mean: c.auc_mean, auc_std: c.auc_std, pr_auc_mean: c.pr_auc_mean, pr_auc_std: c.pr_auc_std });
        log(`${kind} candidate ${index + 1}/${candidates.length} ${JSON.stringify(params)}: PR-AUC ${c.pr_auc.toFixed(4)}, AUC ${c.auc.toFixed(4)} (per fold ${c.auc_mean.toFixed(4)} ± ${c.auc_std.toFixed(4)}), calibrated log loss ${c.log_loss.toFixed(4)}`);
        const score = criterion === "log_loss" ? -c.log_loss : c[criterion];
        const comparable = Number.isNaN(score) ? -Infinity : score;
        if (!best || comparable > best.score) {
          if (best) best.run.models = []; // only the chosen candidate's fold models are used afterwards
          best = { run, params, index, score: comparable };
        } else run.models = [];
      }
      const chosen = best as NonNullable<typeof best>;
      const t0 = process.hrtime.bigint();
      const model = await timedStage(`${kind}: final fit`, () => fitModel(kind, chosen.params, X, y, classWeight));
      const finalSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const calibrator = await timedStage(`${kind}: calibration`, () => new ProbabilityCalibrator({ method: options.calibration ?? "auto" }).fit(chosen.run.oofScore, y, chosen.run.foldOf));
      const calibrated = calibrator.crossFitted_ as Float64Array;
      const m = await timedStage(`${kind}: CV metrics and permutation importance`, () => summarise(kind, chosen.run, calibrated, y, plan, X, featureOf, options.permutationRepeats ?? 2, seed, pool));
      const final = bestF1Threshold(y, calibrated);
      const isLr = model instanceof LogisticRegression;
      // lr: mean |contribution| per feature (one-hot columns summed per row first), since summing
      // |coefficients| over a categorical's one-hot columns would inflate categoricals with many levels
      const modelImportance = (isLr ? meanAbsContribution(model.contributions(X), featureOf, X.nRows) : sumByFeature(model.featureImportance("gain"), featureOf)).sort(
        (a, b) => b.mean - a.mean,
      );
      const entry: ModelMetrics = {
        ...m,
        threshold: final.threshold,
        threshold_rule: THRESHOLD_RULE,
        params: modelParams(kind, chosen.params, classWeight),
        search: { candidates: entries, selected: chosen.index, criterion, rule: searchRule(criterion) },
        calibration_raw: calibrationTable(y, chosen.run.oof),
        calibration_quantile: calibrationQuantileTable(y, calibrated),
        calibration_summary: { method: calibrator.method_ as CalibrationMethod, raw: probabilityQuality(y, chosen.run.oof), calibrated: probabilityQuality(y, calibrated) },
        gains: gainsSummary(y, calibrated),
        importance: { permutation: m.permutation, model: modelImportance, model_kind: isLr ? "mean_abs_contribution" : "gain" },
        final_fit_seconds: finalSeconds,
      };
      delete (entry as Partial<typeof m>).permutation;
      if (isLr) {
        entry.coefficients = X.columns.map((column, j) => ({ column, coef: (model.coef_ as Float64Array)[j], coef_std: (model.coefStd_ as Float64Array)[j] }));
        entry.intercept = model.intercept_;
        entry.backend = model.backend_;
      }
      metrics.models[kind] = entry;
      result.oof[kind] = chosen.run.oof;
      result.oofCalibrated[kind] = calibrated;
      result.fitted[kind] = {
        formatVersion: BUNDLE_FORMAT_VERSION,
        kind,
        encoder,
        model,
        threshold: final.threshold,
        featureColumns: [...X.columns],
        trainedAt: new Date().toISOString(),
        mode: table.mode,
        cutoff: metrics.cutoff,
        horizon: metrics.horizon,
        label: metrics.label ?? undefined,
        metrics: { auc: entry.auc, pr_auc: entry.pr_auc, log_loss: entry.log_loss, f1: entry.f1, precision: entry.precision, recall: entry.recall, ece: entry.calibration_summary.calibrated.ece },
        calibrator,
        typical,
        excludedAttributes: excluded,
      };
      log(`${kind}: AUC ${entry.auc.toFixed(4)}, PR-AUC ${entry.pr_auc.toFixed(4)}, F1 ${entry.f1.toFixed(4)} at ${entry.threshold.toFixed(3)}; ${calibrator.method_} calibration, ECE ${entry.calibration_summary.raw.ece.toFixed(3)} → ${entry.calibration_summary.calibrated.ece.toFixed(3)}`);
    }
  } finally {
    await pool?.close();
  }
  result.best = selectBest(metrics.models, metrics.selection.criterion) as ModelKind;
  metrics.selection.best = result.best;
  return result;
}

/** Median of each numeric feature and most frequent value of each other one, over the table's rows (reasons show them as "typical"). */
export function typicalValues(table: FeatureTableLike, features: readonly string[]): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  const types = new Map(table.dictionary.map((d) => [d.name, d.type]));
  for (const f of features) {
    const values: Cell[] = table.rows.map((r) => r[f] ?? null);
    if (types.get(f) === "numeric" || types.get(f) === "binary") {
      const nums = Float64Array.from(values.filter((v): v is number => typeof v === "number" && !Number.isNaN(v))).sort();
      const n = nums.length;
      out[f] = n === 0 ? null : n % 2 ? nums[(n - 1) / 2] : (nums[n / 2 - 1] + nums[n / 2]) / 2;
    } else {
      const counts = new Map<string, number>();
      for (const v of values) if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      out[f] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
    }
  }
  return out;
}

/** Mean over rows of |Σ contributions of a feature's columns| (bias excluded). */
function meanAbsContribution(contrib: Float64Array, featureOf: string[], nRows: number): FeatureScore[] {
  const features = [...new Set(featureOf)];
  const slot = featureOf.map((f) => features.indexOf(f));
  const width = featureOf.length + 1;
  const acc = new Float64Array(features.length);
  const row = new Float64Array(features.length);
  for (let i = 0; i < nRows; i++) {
    row.fill(0);
    for (let j = 0; j < featureOf.length; j++) row[slot[j]] += contrib[i * width + j];
    for (let k = 0; k < features.length; k++) acc[k] += Math.abs(row[k]);
  }
  return features.map((feature, k) => ({ feature, mean: acc[k] / Math.max(1, nRows) }));
}

/**
 * A candidate's scores on its CV run, computed as the model selection computes them: ROC-AUC and
 * average precision of the pooled raw out-of-fold scores, log loss of the pooled cross-fitted
 * calibrated probabilities; plus the per-fold ROC-AUC and PR-AUC spread for the log.
 */
async function candidateScores(run: CvRun, y: Float64Array, plan: FoldPlan, calibration: CalibrationMethod | "auto") {
  const aucs = meanStd(plan.folds.map((f) => rocAuc(pick(y, f.test), pick(run.oof, f.test))));
  const aps = meanStd(plan.folds.map((f) => averagePrecision(pick(y, f.test), pick(run.oof, f.test))));
  const calibrated = (await new ProbabilityCalibrator({ method: calibration }).fit(run.oofScore, y, run.foldOf)).crossFitted_ as Float64Array;
  return { auc: rocAuc(y, run.oof), pr_auc: averagePrecision(y, run.oof), log_loss: logLoss(y, calibrated), auc_mean: aucs.mean, auc_std: aucs.std, pr_auc_mean: aps.mean, pr_auc_std: aps.std };
}

function pick(a: ArrayLike<number>, idx: Int32Array): Float64Array {
  return Float64Array.from(idx, (i) => a[i]);
}

/**
 * Pooled and per-fold metrics of one CV run, thresholds chosen without the test fold's labels.
 * Ranking metrics (ROC-AUC, average precision, their curves) read the raw out-of-fold scores, the
 * model's own ranking; log loss, thresholds, F1 and the confusion read the calibrated probabilities.
 */
async function summarise(kind: string, run: CvRun, calibrated: Float64Array, y: Float64Array, plan: FoldPlan, X: Matrix, featureOf: string[], repeats: number, seed: number, pool?: CvWorkerPool) {
  // Permutation importance of each fold model on its test fold: on the workers when there are any
  // (the same models, rebuilt from their saved form, so the same drops), merged in fold order.
  const importance =
    repeats <= 0 ? []
      : pool ? await Promise.all(plan.folds.map((fold, f) => pool.permutationImportance(kind, run.models[f], fold.test, featureOf, repeats, seed + f)))
        : plan.folds.map((fold, f) => permutationImportance(run.models[f], takeRows(X, fold.test), pick(y, fold.test), { featureOf, nRepeats: repeats, seed: seed + f }));
  let pooled: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const perFold: ModelMetrics["cv"]["per_fold"] = [];
  const perm = new Map<string, number[]>();
  plan.folds.forEach((fold, f) => {
    // the threshold for fold f comes from the other folds' out-of-fold scores: no peeking at fold f
    const thr = bestF1Threshold(pick(y, fold.train), pick(calibrated, fold.train)).threshold;
    const yt = pick(y, fold.test);
    const pt = pick(run.oof, fold.test);
    const ct = pick(calibrated, fold.test);
    const c = confusionAt(yt, ct, thr);
    pooled = addConfusion(pooled, c);
    perFold.push({ auc: rocAuc(yt, pt), pr_auc: averagePrecision(yt, pt), log_loss: logLoss(yt, ct), f1: precisionRecallF1(c).f1, threshold: thr, test_rows: fold.test.length });
    if (repeats > 0) for (const s of importance[f]) perm.set(s.feature, [...(perm.get(s.feature) ?? []), ...s.drops]);
  });
  const prf = precisionRecallF1(pooled);
  const stat = (k: "auc" | "pr_auc" | "log_loss" | "f1") => meanStd(perFold.map((r) => r[k]));
  const permutation: FeatureScore[] = [...perm.entries()].map(([feature, drops]) => ({ feature, ...meanStd(drops) })).sort((a, b) => b.mean - a.mean);
  return {
    auc: rocAuc(y, run.oof),
    pr_auc: averagePrecision(y, run.oof),
    log_loss: logLoss(y, calibrated),
    f1: prf.f1,
    precision: prf.precision,
    recall: prf.recall,
    confusion: pooled,
    cv: {
      folds: plan.k,
      auc_mean: stat("auc").mean,
      auc_std: stat("auc").std,
      pr_auc_mean: stat("pr_auc").mean,
      pr_auc_std: stat("pr_auc").std,
      log_loss_mean: stat("log_loss").mean,
      log_loss_std: stat("log_loss").std,
      f1_mean: stat("f1").mean,
      f1_std: stat("f1").std,
      per_fold: perFold,
      fit_seconds_mean: meanStd(run.fitSeconds).mean,
    },
    roc: rocCurve(y, run.oof),
    pr: prCurve(y, run.oof),
    calibration: calibrationTable(y, calibrated),
    permutation,
  };
}
