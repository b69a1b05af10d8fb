import { strict as assert } from "node:assert";
import { rocCurves } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/rocCurves", () => {
  it("draws one line per model plus the chance diagonal, AUC in the legend", () => {
    const fig = rocCurves([
      { name: "lr", fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.5, 0.8, 1], auc: 0.78123 },
      { name: "gbt", fpr: Float64Array.from([0, 0.05, 1]), tpr: Float64Array.from([0, 0.7, 1]) },
    ]);
    writeSnapshot("plots-roc-curves", fig);
    assert.equal(fig.data.length, 3);
    assert.equal(fig.data[0].name, "lr (AUC 0.781)");
    assert.equal(fig.data[1].name, "gbt");
    assert.deepEqual(fig.data[1].x, [0, 0.05, 1]);
    assert.ok(Array.isArray(fig.data[1].y), "typed arrays become plain JSON arrays");
    assert.deepEqual(fig.data[2].x, [0, 1]);
    JSON.parse(JSON.stringify(fig));
  });

  it("rejects curves whose arrays differ in length", () => {
    assert.throws(() => rocCurves([{ name: "rf", fpr: [0, 1], tpr: [0] }]), /ROC curve of rf: arrays differ in length/);
  });
});
