import * as assert from "node:assert/strict";
import { calibrationQuantileTable } from "../../lib/evaluation/metrics";

describe("evaluation/metrics calibrationQuantileTable", () => {
  it("splits distinct scores into equal-count bins with their mean prediction and observed rate", () => {
    const p = Array.from({ length: 20 }, (_, i) => (i + 1) / 100); // 0.01 .. 0.20, given shuffled below
    const y = p.map((_, i) => (i % 4 === 3 ? 1 : 0));
    const order = [7, 19, 0, 3, 12, 5, 18, 1, 9, 14, 2, 16, 4, 11, 8, 17, 6, 13, 10, 15];
    const bins = calibrationQuantileTable(order.map((i) => y[i]), order.map((i) => p[i]));
    assert.equal(bins.length, 10);
    bins.forEach((b, k) => {
      assert.equal(b.count, 2);
      assert.equal(b.lo, p[2 * k]);
      assert.equal(b.hi, p[2 * k + 1]);
      assert.ok(Math.abs((b.meanPredicted as number) - (p[2 * k] + p[2 * k + 1]) / 2) < 1e-12);
      assert.equal(b.observedRate, (y[2 * k] + y[2 * k + 1]) / 2);
    });
  });

  it("keeps tied scores in one bin (an isotonic calibrator's steps), so there may be fewer, larger bins", () => {
    // 12 rows at 0.01, 4 at 0.05, 4 at 0.3: the ties cannot be split into tenths
    const p = [...Array(12).fill(0.01), ...Array(4).fill(0.05), ...Array(4).fill(0.3)];
    const y = [...Array(11).fill(0), 1, 0, 0, 0, 1, 1, 1, 0, 1];
    const bins = calibrationQuantileTable(y, p);
    assert.deepEqual(bins.map((b) => b.count), [12, 4, 4]);
    assert.deepEqual(bins.map((b) => [b.lo, b.hi]), [[0.01, 0.01], [0.05, 0.05], [0.3, 0.3]]);
    assert.deepEqual(bins.map((b) => b.observedRate), [1 / 12, 1 / 4, 3 / 4]);
  });

  it("accounts for every scored row once, skips NaN scores and handles fewer rows than bins", () => {
    let s = 3;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    const p = Array.from({ length: 1003 }, (_, i) => (i % 97 === 0 ? NaN : Math.round(rnd() ** 4 * 1000) / 1000));
    const y = p.map(() => (rnd() < 0.05 ? 1 : 0));
    const bins = calibrationQuantileTable(y, p);
    assert.equal(bins.reduce((a, b) => a + b.count, 0), p.filter((v) => !Number.isNaN(v)).length);
    for (let k = 1; k < bins.length; k++) assert.ok(bins[k].lo > bins[k - 1].hi, "bins are ordered and disjoint");
    assert.ok(bins.length >= 8, `${bins.length} bins`);
    assert.deepEqual(calibrationQuantileTable([1, 0], [0.2, 0.1]).map((b) => b.count), [1, 1]);
    assert.deepEqual(calibrationQuantileTable([], []), []);
  });
});
