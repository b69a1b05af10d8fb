import * as assert from "node:assert/strict";
import { SparkifyError } from "../../lib/errors";
import { scoreUsers, trainAndEvaluate } from "../../lib/evaluation";
import type { FeatureTableLike } from "../../lib/evaluation";
import type { FeatureTable } from "../../lib/features";
import { syntheticTable } from "./syntheticTable";

// compile-time check: the features module's table is accepted where evaluation expects its shape
const acceptsFeatureTable = (t: FeatureTable): FeatureTableLike => t;
void acceptsFeatureTable;

process.env.SPARKIFY_QUIET = "1";

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
    assert.equal(lr.importance.permutation.length, 40);
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
      assert.equal(m.importance.model.length, 40);
      assert.ok(m.auc > 0.6, `${kind} AUC ${m.auc}`);
      assert.deepEqual(m.cv.per_fold.map((f) => f.test_rows), metrics.models.lr.cv.per_fold.map((f) => f.test_rows));
      assert.equal(m.params.seed, 1);
      const scored = scoreUsers(fitted[kind] as NonNullable<(typeof fitted)["rf"]>, table);
      assert.equal(scored.length, 600);
      assert.ok(scored[0].reasons.length > 0);
    }
  });
});
