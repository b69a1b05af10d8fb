import { strict as assert } from "node:assert";
import { calibrationBins, importanceRows, prArrays, rocArrays } from "../../lib/report";

describe("report/normalizeMetrics", () => {
  it("reads curves as parallel arrays or as point lists, and rejects malformed ones", () => {
    assert.deepEqual(rocArrays([{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }]), { fpr: [0, 1], tpr: [0, 1] });
    assert.deepEqual(rocArrays({ fpr: Float64Array.from([0, 1]), tpr: [0, 1] }), { fpr: [0, 1], tpr: [0, 1] });
    assert.equal(rocArrays({ fpr: [0, 1], tpr: [0] }), null);
    assert.equal(rocArrays(undefined), null);
    assert.deepEqual(prArrays([{ recall: 0.5, precision: 1 }]), { recall: [0.5], precision: [1] });
    assert.equal(prArrays([]), null);
  });

  it("accepts calibration bins under evaluation's or the plot's field names and drops empty bins", () => {
    const bins = calibrationBins([
      { meanPredicted: 0.05, observedRate: 0.1, count: 10 },
      { meanPredicted: null, observedRate: null, count: 0 },
      { mean_predicted: 0.5, observed: 0.4, count: 3 },
      { meanPredicted: 0.9, fractionPositive: 0.8 },
    ]);
    assert.deepEqual(bins, [
      { meanPredicted: 0.05, fractionPositive: 0.1, count: 10 },
      { meanPredicted: 0.5, fractionPositive: 0.4, count: 3 },
      { meanPredicted: 0.9, fractionPositive: 0.8, count: 1 },
    ]);
  });

  it("merges evaluation's {permutation, model} importances, and keeps a logistic model's |coef| out of gain", () => {
    const trees = importanceRows({ importance: { model: [{ feature: "a", mean: 0.7 }], permutation: [{ feature: "a", mean: 0.02 }, { feature: "b", mean: 0.01 }], model_kind: "gain" } });
    assert.deepEqual(trees, { rows: [{ feature: "a", gain: 0.7, permutation: 0.02 }, { feature: "b", permutation: 0.01 }], modelKind: "gain" });
    const lr = importanceRows({ importance: { model: [{ feature: "a", mean: 3 }], permutation: [{ feature: "a", mean: 0.05 }], model_kind: "abs_coef_std" } });
    assert.deepEqual(lr.rows, [{ feature: "a", permutation: 0.05 }]);
    assert.deepEqual(importanceRows({ importance: [{ feature: "x", gain: 1 }] }).rows, [{ feature: "x", gain: 1, permutation: undefined }]);
    assert.deepEqual(importanceRows({}), { rows: [], modelKind: null });
  });
});
