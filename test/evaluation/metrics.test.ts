import * as assert from "node:assert/strict";
import {
  averagePrecision, bestF1Threshold, calibrationTable, confusionAt, downsample, logLoss, precisionRecallF1, prCurve, rocAuc, rocCurve,
} from "../../lib/evaluation/metrics";

// Hand-worked: positives score 0.4 and 0.8, negatives 0.1 and 0.4 (one tie across classes).
const yH = [0, 1, 0, 1];
const pH = [0.1, 0.4, 0.4, 0.8];

// Reference values below were computed once with Debian scikit-learn 1.2.1 on exactly these inputs:
//   roc_auc_score(y, p), average_precision_score(y, p), log_loss(y, p)
const yS = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1];
const pS = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.4, 0.65, 0.7, 0.05, 0.5];
const SKLEARN = { auc: 0.8055555555555556, ap: 0.8069444444444444, logLoss: 0.5019973694345644 };

describe("evaluation/metrics", () => {
  it("rocAuc counts a tie between classes as one half (hand-worked 3.5 / 4)", () => {
    assert.equal(rocAuc(yH, pH), 0.875);
  });

  it("rocAuc: perfect, reversed and constant scores", () => {
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]), 1);
    assert.equal(rocAuc([0, 0, 1, 1], [0.4, 0.3, 0.2, 0.1]), 0);
    assert.equal(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]), 0.5);
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])));
  });

  it("averagePrecision is the step sum Σ ΔR·P (hand-worked 0.5·1 + 0.5·2/3)", () => {
    assert.ok(Math.abs(averagePrecision(yH, pH) - (0.5 + 0.5 * (2 / 3))) < 1e-12);
  });

  it("logLoss matches the hand formula and clips 0/1", () => {
    const expected = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.6) + Math.log(0.8)) / 4;
    assert.ok(Math.abs(logLoss(yH, pH) - expected) < 1e-12);
    assert.ok(Number.isFinite(logLoss([1, 0], [0, 1])));
  });

  it("agrees with scikit-learn values computed once on a 12-row example with ties", () => {
    assert.ok(Math.abs(rocAuc(yS, pS) - SKLEARN.auc) < 1e-12);
    assert.ok(Math.abs(averagePrecision(yS, pS) - SKLEARN.ap) < 1e-12);
    assert.ok(Math.abs(logLoss(yS, pS) - SKLEARN.logLoss) < 1e-12);
  });

  it("confusionAt calls p >= threshold positive; precision/recall/F1 follow", () => {
    const c = confusionAt(yH, pH, 0.4);
    assert.deepEqual(c, { tp: 2, fp: 1, tn: 1, fn: 0 });
    const r = precisionRecallF1(c);
    assert.ok(Math.abs(r.precision - 2 / 3) < 1e-12);
    assert.equal(r.recall, 1);
    assert.ok(Math.abs(r.f1 - 0.8) < 1e-12);
    assert.deepEqual(precisionRecallF1({ tp: 0, fp: 0, tn: 3, fn: 2 }), { precision: 0, recall: 0, f1: 0 });
  });

  it("bestF1Threshold picks the max-F1 cut and returns the midpoint below it (hand-worked 0.25)", () => {
    const r = bestF1Threshold(yH, pH);
    assert.ok(Math.abs(r.f1 - 0.8) < 1e-12);
    assert.ok(Math.abs(r.threshold - 0.25) < 1e-12);
    assert.ok(Math.abs(precisionRecallF1(confusionAt(yH, pH, r.threshold)).f1 - r.f1) < 1e-12);
  });

  it("rocCurve starts at (0,0), ends at (1,1), and its trapezoid area equals rocAuc", () => {
    const pts = rocCurve(yS, pS);
    assert.deepEqual([pts[0].fpr, pts[0].tpr], [0, 0]);
    assert.deepEqual([pts[pts.length - 1].fpr, pts[pts.length - 1].tpr], [1, 1]);
    let area = 0;
    for (let k = 1; k < pts.length; k++) area += (pts[k].fpr - pts[k - 1].fpr) * (pts[k].tpr + pts[k - 1].tpr) / 2;
    assert.ok(Math.abs(area - rocAuc(yS, pS)) < 1e-12);
  });

  it("prCurve recall rises to 1 and the points are downsampled to the cap, keeping the ends", () => {
    const pts = prCurve(yS, pS);
    assert.equal(pts[pts.length - 1].recall, 1);
    const long = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(long, 50);
    assert.equal(d.length, 50);
    assert.equal(d[0], 0);
    assert.equal(d[49], 999);
  });

  it("calibrationTable puts each score in its tenth and averages inside the bin", () => {
    const t = calibrationTable([0, 1, 1, 0], [0.05, 0.15, 0.19, 1.0]);
    assert.equal(t.length, 10);
    assert.equal(t[0].count, 1);
    assert.equal(t[1].count, 2);
    assert.ok(Math.abs((t[1].meanPredicted as number) - 0.17) < 1e-12);
    assert.equal(t[1].observedRate, 1);
    assert.equal(t[9].count, 1); // p = 1 lands in the last bin
    assert.equal(t[5].meanPredicted, null);
  });
});
