import * as assert from "node:assert/strict";
import { SparkifyError } from "../../lib/errors";
import { bundlePredictProba, calibratorOf } from "../../lib/models/calibration";
import { probabilityEffects, rawContributions, scoreUsers, selectBest, trainAndEvaluate } from "../../lib/evaluation";
import type { FeatureTableLike } from "../../lib/evaluation";
import type { FeatureTable } from "../../lib/features";
import { syntheticTable } from "./syntheticTable";

// compile-time check: the features module's table is accepted where evaluation expects its shape
const acceptsFeatureTable = (t: FeatureTable): FeatureTableLike => t;
void acceptsFeatureTable;

describe("evaluation/trainAndEvaluate (logistic regression)", () => {
  const table = syntheticTable({ users: 500, rowsPerUser: 2, seed: 3 });

  it("produces the metrics.json shape with CV spread, curves, calibration and importances", async () => {
    const { metrics, fitted, oof, folds } = await trainAndEvaluate(table, { models: ["lr"], folds: 5, seed: 42 });
    assert.equal(metrics.dataset.rows, 1000);
    assert.equal(metrics.dataset.users, 500);
    assert.equal(metrics.dataset.folds, 5);
    assert.equal(metrics.dataset.class_weight, "balanced");
    assert.equal(metrics.horizon, 14);
    const lr = metrics.models.lr;
    for (const k of ["auc", "pr_auc", "log_loss", "f1", "precision", "recall", "threshold"] as const) assert.ok(Number.isFinite(lr[k]), k);
    assert.ok(lr.auc > 0.65 && lr.auc < 1, `auc ${lr.auc}`);
    assert.ok(lr.pr_auc > metrics.dataset.positive_rate, "PR-AUC above the base rate");
    assert.equal(lr.cv.per_fold.length, 5);
    assert.ok(lr.cv.auc_std > 0);
    assert.equal(lr.search.candidates.length, 3);
    assert.equal(lr.params.l2, (lr.search.candidates[lr.search.selected].params as { l2: number }).l2);
    const c = lr.confusion;
    assert.equal(c.tp + c.fp + c.tn + c.fn, 1000);
    assert.ok(lr.roc.length <= 200 && lr.pr.length <= 200);
    assert.equal(lr.calibration.length, 10);
    assert.equal(lr.importance.permutation.length, 39, "40 features less state, a non-behaviour attribute");
    assert.deepEqual(metrics.excluded_attributes, ["gender", "state"]);
    assert.ok(!fitted.lr!.featureColumns.some((c) => c.startsWith("state")));
    const perm = lr.importance.permutation;
    assert.ok(["f0", "f7", "f8", "f9"].includes(perm[0].feature), `top feature ${perm[0].feature}`); // linear signals of the generator
    const noise = perm.find((s) => s.feature === "f30"); // pure noise in the generator
    assert.ok(noise && noise.mean < perm[0].mean / 5);
    assert.equal(lr.coefficients?.length, metrics.dataset.encoded_columns);
    assert.ok(oof.lr && oof.lr.every((p) => p >= 0 && p <= 1));
    assert.equal(folds.k, 5);
    assert.ok(fitted.lr && fitted.lr.threshold === lr.threshold);
    JSON.parse(JSON.stringify(metrics)); // serialisable
  });

  it("calibrates: raw and calibrated probability quality, bins of both, gains, baselines and the selection in metrics.json", async () => {
    const { metrics, fitted, oofCalibrated, y, best } = await trainAndEvaluate(table, { models: ["lr"], folds: 5, seed: 42, search: false, permutationRepeats: 0 });
    const lr = metrics.models.lr;
    const { raw, calibrated, method } = lr.calibration_summary;
    assert.ok(method === "sigmoid" || method === "isotonic");
    // class weights lift the raw probabilities far above the 20 % base rate; calibration brings them back
    assert.ok(raw.mean_predicted > raw.observed_rate + 0.15, `raw mean ${raw.mean_predicted}`);
    assert.ok(Math.abs(calibrated.mean_predicted - calibrated.observed_rate) < 0.01, `calibrated mean ${calibrated.mean_predicted} vs ${calibrated.observed_rate}`);
    assert.ok(calibrated.ece < raw.ece / 3 && calibrated.brier < raw.brier && calibrated.log_loss < raw.log_loss);
    assert.equal(lr.log_loss, calibrated.log_loss);
    assert.equal(lr.calibration_raw.length, 10);
    assert.ok(Math.abs(lr.calibration.reduce((a, b) => a + b.count * (b.meanPredicted ?? 0), 0) / 1000 - calibrated.mean_predicted) < 1e-9);
    // the threshold is chosen on calibrated probabilities, which sit near the base rate
    assert.ok(lr.threshold < 0.5 && lr.threshold > 0.05, `threshold ${lr.threshold}`);
    // gains: monotone, ending at (1, 1); top-decile lift = captured_top10 / 0.1
    const g = lr.gains;
    assert.equal(g.curve.length, 20);
    assert.deepEqual(g.curve.at(-1), { share: 1, captured: 1, lift: 1 });
    for (let k = 1; k < g.curve.length; k++) assert.ok(g.curve[k].captured >= g.curve[k - 1].captured);
    assert.ok(Math.abs(g.top_decile_lift - g.captured_top10 / 0.1) < 1e-9 && g.top_decile_lift > 1.5);
    let topPos = 0;
    const order = Array.from(y.keys()).sort((a, b) => oofCalibrated.lr![b] - oofCalibrated.lr![a]);
    for (const i of order.slice(0, 100)) topPos += y[i];
    assert.ok(Math.abs(g.captured_top10 - topPos / y.reduce((a, v) => a + v, 0)) < 0.02, "captured_top10 is the share of positives in the top 100 rows (ties aside)");
    // baselines on the same folds
    const base = metrics.baselines.find((b) => b.name === "base rate")!;
    assert.equal(base.auc, 0.5);
    assert.ok(Math.abs(base.pr_auc - metrics.dataset.positive_rate) < 1e-12 && base.top_decile_lift === 1);
    assert.equal(metrics.baselines.length, 2, "base rate and a one-feature heuristic");
    assert.deepEqual(metrics.selection, { criterion: "pr_auc", best: "lr", rule: metrics.selection.rule });
    assert.equal(best, "lr");
    // the saved bundle's probabilities are calibrated too
    const p = bundlePredictProba(fitted.lr!, fitted.lr!.encoder.transform(table.rows));
    assert.ok(Math.abs(p.reduce((a, v) => a + v, 0) / p.length - metrics.dataset.positive_rate) < 0.03);
  });

  it("--include state opts a non-behaviour attribute back in; an unknown one is refused", async () => {
    const r = await trainAndEvaluate(table, { models: ["lr"], folds: 3, search: false, permutationRepeats: 0, include: ["state"] });
    assert.deepEqual(r.metrics.excluded_attributes, ["gender"]);
    assert.ok(r.fitted.lr!.featureColumns.some((c) => c.startsWith("state=")));
    await assert.rejects(trainAndEvaluate(table, { models: ["lr"], include: ["device"] }), /--include device/);
  });

  it("selectBest follows the criterion: highest PR-AUC or ROC-AUC, lowest log loss", () => {
    const models = { a: { auc: 0.7, pr_auc: 0.2, log_loss: 0.3 }, b: { auc: 0.75, pr_auc: 0.15, log_loss: 0.25 }, c: { auc: NaN, pr_auc: NaN, log_loss: NaN } };
    assert.equal(selectBest(models, "pr_auc"), "a");
    assert.equal(selectBest(models, "auc"), "b");
    assert.equal(selectBest(models, "log_loss"), "b");
  });

  it("is reproducible with the same seed", async () => {
    const a = await trainAndEvaluate(table, { models: ["lr"], folds: 3, seed: 7, search: false, permutationRepeats: 1 });
    const b = await trainAndEvaluate(table, { models: ["lr"], folds: 3, seed: 7, search: false, permutationRepeats: 1 });
    assert.equal(a.metrics.models.lr.auc, b.metrics.models.lr.auc);
    assert.deepEqual(a.metrics.models.lr.importance.permutation, b.metrics.models.lr.importance.permutation);
  });

  it("adapts the folds to tiny data and refuses data with a single churner", async () => {
    const tiny = syntheticTable({ users: 30, seed: 5, numeric: 4 });
    tiny.rows.forEach((r, i) => (r.churn = i % 5 === 0 ? 1 : 0)); // 6 churners among 30 users
    const r = await trainAndEvaluate(tiny, { models: ["lr"], folds: 10, search: false, permutationRepeats: 0 });
    assert.equal(r.metrics.dataset.folds, 6);
    assert.match(r.metrics.dataset.folds_note ?? "", /asked for 10 folds; made 6/);
    tiny.rows.forEach((row, i) => (row.churn = i === 0 ? 1 : 0));
    await assert.rejects(trainAndEvaluate(tiny, { models: ["lr"] }), (e: unknown) => e instanceof SparkifyError && /at least 2 users/.test(e.message));
  });

  it("rejects a label that is not 0/1, naming the row", async () => {
    const bad = syntheticTable({ users: 20, seed: 1, numeric: 3 });
    bad.rows[4].churn = 2;
    await assert.rejects(trainAndEvaluate(bad, { models: ["lr"] }), /row 4 \(userId u4\): churn = 2/);
  });

  it("scoreUsers ranks rows by probability with top reasons named by source feature", async () => {
    const { fitted } = await trainAndEvaluate(table, { models: ["lr"], folds: 3, search: false, permutationRepeats: 0 });
    const bundle = fitted.lr as NonNullable<typeof fitted.lr>;
    const scored = scoreUsers(bundle, table, { topK: 3 });
    assert.equal(scored.length, table.rows.length);
    scored.forEach((s, k) => {
      assert.equal(s.rank, k + 1);
      if (k > 0) assert.ok(s.probability <= scored[k - 1].probability);
      assert.ok(s.reasons.length <= 3);
      for (const r of s.reasons) assert.ok(table.dictionary.some((d) => d.name === r.feature), r.feature);
    });
    const top = scored[0];
    const row = table.rows.find((r) => r.userId === top.userId && r.cutoff === top.cutoff) as Record<string, unknown>;
    for (const r of top.reasons) assert.equal(r.value, row[r.feature] ?? null);
  });
});

describe("evaluation/trainAndEvaluate (all three models)", () => {
  it("trains lr, rf and gbt on the same folds, each well above chance, with gain importances and reasons", async () => {
    const table = syntheticTable({ users: 600, seed: 8 });
    const { metrics, fitted } = await trainAndEvaluate(table, { models: ["lr", "rf", "gbt"], folds: 3, seed: 1, search: false, permutationRepeats: 1 });
    assert.deepEqual(Object.keys(metrics.models), ["lr", "rf", "gbt"]);
    for (const kind of ["rf", "gbt"] as const) {
      const m = metrics.models[kind];
      assert.equal(m.importance.model_kind, "gain");
      assert.equal(m.importance.model.length, 39);
      assert.ok(m.auc > 0.6, `${kind} AUC ${m.auc}`);
      assert.deepEqual(m.cv.per_fold.map((f) => f.test_rows), metrics.models.lr.cv.per_fold.map((f) => f.test_rows));
      assert.equal(m.params.seed, 1);
      const scored = scoreUsers(fitted[kind] as NonNullable<(typeof fitted)["rf"]>, table);
      assert.equal(scored.length, 600);
      assert.ok(scored[0].reasons.length > 0);
    }
    for (const kind of ["lr", "rf", "gbt"] as const) {
      const bundle = fitted[kind]!;
      const X = bundle.encoder.transform(table.rows);
      const contrib = rawContributions(kind, bundle.model, X);
      const { effects, baseline, probability } = probabilityEffects(contrib, X.nCols, calibratorOf(bundle));
      const p = bundlePredictProba(bundle, X);
      for (let i = 0; i < X.nRows; i++) {
        // exact in total: the effects add up to the calibrated probability minus the baseline, and keep the raw contributions' signs
        let sum = 0;
        for (let j = 0; j < X.nCols; j++) {
          const e = effects[i * X.nCols + j];
          const c = contrib[i * (X.nCols + 1) + j];
          sum += e;
          assert.ok(e === 0 || Math.sign(e) === Math.sign(c), `${kind} row ${i} column ${j}: effect ${e} vs contribution ${c}`);
        }
        assert.ok(Math.abs(baseline[i] + sum - probability[i]) < 1e-9, `${kind} row ${i}: ${baseline[i]} + ${sum} vs ${probability[i]}`);
        assert.ok(Math.abs(probability[i] - p[i]) < 1e-9, `${kind} row ${i}: the probability of the effects is the bundle's`);
      }
      // every listed reason raises the risk, in words, largest first
      const scored = scoreUsers(bundle, table, { topK: 3 });
      const flagged = scored.filter((s) => s.atRisk);
      assert.ok(flagged.length > 0, `${kind}: someone is flagged`);
      for (const s of scored) {
        for (let k = 0; k < s.reasons.length; k++) {
          const r = s.reasons[k];
          assert.ok(r.contribution > 0, `${kind} user ${s.userId}: reason ${r.feature} has effect ${r.contribution}`);
          if (k > 0) assert.ok(r.contribution <= s.reasons[k - 1].contribution);
          const type = table.dictionary.find((d) => d.name === r.feature)?.type;
          if (type === "numeric") assert.match(r.text ?? "", /\(typical [^)]+\)$/);
          else {
            // categorical and binary: never "typical" beside a category; the most common value only when it differs from the user's
            assert.doesNotMatch(r.text ?? "", /typical/, r.text);
            const same = type === "binary" ? Number(r.value) === (Number(r.typical) > 0.5 ? 1 : 0) : String(r.value) === String(r.typical);
            if (same || (type === "binary" && Number(r.typical) === 0.5)) assert.doesNotMatch(r.text ?? "", /most common/, r.text);
            else assert.match(r.text ?? "", /\(most common: [^)]+\)$/, r.text);
          }
        }
      }
    }
  });
});
