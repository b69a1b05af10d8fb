import * as assert from "node:assert/strict";
import { trainAndEvaluate } from "../../lib/evaluation/trainAndEvaluate";
import { syntheticTable } from "./syntheticTable";

describe("evaluation/trainAndEvaluate: the search inside a model follows --select", function () {
  this.timeout(600_000);

  it("keeps the candidate that is best by the criterion that chooses between models, and says so", async () => {
    // On this table the three criteria disagree about logistic regression's candidates.
    const table = syntheticTable({ users: 200, seed: 2 });
    const chosen: Record<string, number> = {};
    for (const select of ["pr_auc", "auc", "log_loss"] as const) {
      const { metrics } = await trainAndEvaluate(table, { models: ["lr", "gbt"], folds: 3, seed: 4, permutationRepeats: 0, select });
      for (const kind of ["lr", "gbt"] as const) {
        const { candidates, selected, criterion, rule } = metrics.models[kind].search;
        assert.equal(criterion, select);
        assert.match(rule, new RegExp(`--select ${select}`));
        const scores = candidates.map((c) => (select === "log_loss" ? -c.log_loss : c[select]));
        assert.equal(selected, scores.indexOf(Math.max(...scores)), `${kind} by ${select}: ${JSON.stringify(scores)}`);
        // the selected candidate's pooled figures are the model's reported ones
        assert.equal(candidates[selected].pr_auc, metrics.models[kind].pr_auc);
        assert.equal(candidates[selected].auc, metrics.models[kind].auc);
        assert.equal(candidates[selected].log_loss, metrics.models[kind].log_loss);
      }
      chosen[select] = metrics.models.lr.search.selected;
    }
    assert.notEqual(chosen.pr_auc, chosen.auc, "the test table separates the criteria");
  });
});
