import * as assert from "node:assert/strict";
import { crossValidate } from "../../lib/evaluation/crossValidate";
import { CvWorkerPool } from "../../lib/evaluation/cvWorkerPool";
import { stratifiedGroupKFold } from "../../lib/evaluation/stratifiedGroupKFold";
import { trainAndEvaluate } from "../../lib/evaluation/trainAndEvaluate";
import { FeatureEncoder } from "../../lib/models/encoding";
import { syntheticTable } from "./syntheticTable";

/** metrics.json without what measures time (fit and stage seconds, peak memory). */
function withoutTimings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !/seconds|timings|peak_rss/.test(k)).map(([k, v]) => [k, withoutTimings(v)]));
  }
  return value;
}

describe("evaluation: cross-validation folds on worker threads", function () {
  this.timeout(600_000);

  it("gives metrics.json model numbers identical to the serial run, to the last digit, for every model and candidate", async () => {
    const table = syntheticTable({ users: 240, seed: 5 });
    const options = { models: ["lr", "rf", "gbt"] as Array<"lr" | "rf" | "gbt">, folds: 3, seed: 9, permutationRepeats: 1 };
    const serial = await trainAndEvaluate(table, { ...options, jobs: 1 });
    const parallel = await trainAndEvaluate(table, { ...options, jobs: 2 });
    // every candidate of the search was fitted (3 per model), so candidates queued at once are covered too
    for (const k of ["lr", "rf", "gbt"] as const) assert.equal(parallel.metrics.models[k].search.candidates.length, 3);
    assert.deepEqual(withoutTimings(parallel.metrics), withoutTimings(serial.metrics));
    for (const k of ["lr", "rf", "gbt"] as const) {
      assert.deepEqual(parallel.oof[k], serial.oof[k]);
      assert.deepEqual(parallel.oofCalibrated[k], serial.oofCalibrated[k]);
    }
    // the numbers are not trivially equal: the models differ from one another
    assert.notEqual(serial.metrics.models.lr.pr_auc, serial.metrics.models.gbt.pr_auc);
  });

  it("a fold that fails in a worker rejects with its error, and the pool still closes", async () => {
    const table = syntheticTable({ users: 120, seed: 2 });
    const enc = new FeatureEncoder({ exclude: ["userId", "cutoff", "churn"] });
    const X = await enc.fitTransform(table.rows, table.dictionary);
    const y = Float64Array.from(table.rows, (r) => Number(r.churn));
    const plan = stratifiedGroupKFold(y, table.rows.map((r) => String(r.userId)), 3, 1);
    const pool = new CvWorkerPool(2, X, y, "balanced");
    try {
      await assert.rejects(pool.crossValidate("gbt", { learningRate: -1 }, plan, X.nRows), (e: Error & { code?: string }) => {
        assert.match(e.message, /learningRate/);
        assert.equal(e.constructor.name, "SparkifyError");
        return true;
      });
      // the workers survive a failed fold: the next run gives the serial result
      const ok = await pool.crossValidate("gbt", { nEstimators: 20, seed: 1 }, plan, X.nRows);
      const serial = await crossValidate("gbt", { nEstimators: 20, seed: 1 }, X, y, plan, "balanced");
      assert.deepEqual(ok.oof, serial.oof);
      assert.deepEqual(ok.models.map((m) => Array.from(m.predictProba(X))), serial.models.map((m) => Array.from(m.predictProba(X))));
    } finally {
      await pool.close();
    }
  });
});
