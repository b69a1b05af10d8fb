import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { selectBest } from "../../lib/evaluation/selectBest";
import { reportBestModel } from "../../lib/report/reportFacts";

// The one best-model picker: training (by the run's criterion), the pipeline's bestModel and the report all call it.
describe("evaluation/selectBest", () => {
  const models = { a: { auc: 0.7, pr_auc: 0.2, log_loss: 0.3 }, b: { auc: 0.75, pr_auc: 0.15, log_loss: 0.25 }, c: { auc: NaN, pr_auc: NaN, log_loss: NaN } };

  it("follows the criterion: highest PR-AUC or ROC-AUC, lowest log loss; NaN loses", () => {
    assert.equal(selectBest(models, "pr_auc"), "a");
    assert.equal(selectBest(models, "auc"), "b");
    assert.equal(selectBest(models, "log_loss"), "b");
    assert.equal(selectBest({ c: models.c, a: models.a }, "auc"), "a");
  });

  it("breaks an exact tie by the other ranking metric, then keeps the earlier model", () => {
    const tied = { lr: { auc: 0.8, pr_auc: 0.5 }, rf: { auc: 0.9, pr_auc: 0.6 }, gbt: { auc: 0.9, pr_auc: 0.7 } };
    assert.equal(selectBest(tied, "auc"), "gbt");
    assert.equal(selectBest({ x: { auc: 0.6, pr_auc: 0.3 }, y: { auc: 0.7, pr_auc: 0.3 } }, "pr_auc"), "y");
    assert.equal(selectBest({ x: { auc: 0.6, pr_auc: 0.3 }, y: { auc: 0.6, pr_auc: 0.3 } }, "pr_auc"), "x");
    assert.equal(selectBest({ x: { log_loss: 0.2, pr_auc: 0.1 }, y: { log_loss: 0.2, pr_auc: 0.4 } }, "log_loss"), "y");
  });

  it("keeps a choice already made when it is among the models; missing scores lose; no model is an error", () => {
    assert.equal(selectBest(models, "auc", "a"), "a");
    assert.equal(selectBest(models, "auc", "nope"), "b");
    assert.equal(selectBest({ x: {}, y: { auc: 0.1 } }, "auc"), "y");
    assert.throws(() => selectBest({}, "auc"), (e: unknown) => e instanceof SparkifyError && e.code === "E_EMPTY_INPUT");
  });

  it("is what the report features: the run's choice, else metrics.json's selection, else the highest AUC", () => {
    const metrics = { models: { lr: { auc: 0.8, pr_auc: 0.5 }, gbt: { auc: 0.9, pr_auc: 0.4 } } } as never;
    assert.equal(reportBestModel({ metrics }), "gbt");
    assert.equal(reportBestModel({ metrics, bestModel: "lr" }), "lr");
    assert.equal(reportBestModel({}), null);
  });
});
