import { strict as assert } from "node:assert";
import { binMatrix, binValue, fitBinMapper, sortFloat64 } from "../../../lib/models/trees/binning";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import { matrix } from "./helpers";

describe("models/trees/binning", () => {
  it("puts each of fewer distinct values than bins in its own bin, edges at midpoints", () => {
    const X = matrix([3, 1, 2, 1, 3, 2, 2], 1);
    const m = fitBinMapper(X, 255);
    assert.deepEqual(Array.from(m.thresholds[0]), [1.5, 2.5]);
    assert.equal(m.nBins[0], 3);
    assert.deepEqual(Array.from(binMatrix(X, m)), [2, 0, 1, 0, 2, 1, 1]);
  });

  it("gives a constant column one bin and an all-missing column only the missing bin", () => {
    const X = matrix([5, NaN, 5, NaN, 5, NaN], 2);
    const m = fitBinMapper(X, 16);
    assert.equal(m.nBins[0], 1);
    assert.equal(m.thresholds[0].length, 0);
    assert.equal(m.nBins[1], 1);
    assert.equal(m.missingBin, 16);
    assert.equal(m.stride, 17);
    // Row-major codes like X.
    assert.deepEqual(Array.from(binMatrix(X, m)), [0, 16, 0, 16, 0, 16]);
  });

  it("sends NaN to the missing bin and ±Infinity to the end bins", () => {
    const X = matrix([0, 1, 2, 3, NaN], 1);
    const m = fitBinMapper(X, 255);
    assert.equal(binValue(m, 0, NaN), m.missingBin);
    assert.equal(binValue(m, 0, -Infinity), 0);
    assert.equal(binValue(m, 0, Infinity), m.nBins[0] - 1);
    assert.equal(binValue(m, 0, 1.5), 1); // an edge value belongs to the bin it closes
  });

  it("merges many distinct values into at most maxBins bins of about equal counts", () => {
    const rng = createRng(3, TREE_STREAM);
    const n = 5000;
    const X = matrix(Array.from({ length: n }, () => rng.next() ** 3), 1);
    const m = fitBinMapper(X, 32);
    assert.ok(m.nBins[0] <= 32 && m.nBins[0] >= 30, `nBins ${m.nBins[0]}`);
    const t = m.thresholds[0];
    for (let k = 1; k < t.length; k++) assert.ok(t[k] > t[k - 1], "edges strictly increase");
    const counts = new Array(m.nBins[0]).fill(0);
    for (const c of binMatrix(X, m)) counts[c]++;
    for (const c of counts) assert.ok(c > n / 32 / 2 && c < (n / 32) * 2, `bin count ${c}`);
  });

  it("is consistent with the raw thresholds: bin(v) <= b exactly when v <= edge b", () => {
    const rng = createRng(9, TREE_STREAM);
    const vals = Array.from({ length: 3000 }, () => Math.round(rng.next() * 500) / 7);
    const m = fitBinMapper(matrix(vals, 1), 40);
    const t = m.thresholds[0];
    for (const v of vals.slice(0, 400)) {
      const b = binValue(m, 0, v);
      for (let k = 0; k < t.length; k++) assert.equal(b <= k, v <= t[k]);
    }
  });

  it("keeps adjacent doubles apart", () => {
    const a = 1;
    const b = 1 + Number.EPSILON;
    const m = fitBinMapper(matrix([a, b, a, b], 1), 255);
    assert.notEqual(binValue(m, 0, a), binValue(m, 0, b));
  });

  it("rejects maxBins outside 2..255", () => {
    assert.throws(() => fitBinMapper(matrix([1, 2], 1), 256), /maxBins/);
    assert.throws(() => fitBinMapper(matrix([1, 2], 1), 1), /maxBins/);
  });
});

describe("models/trees/binning sortFloat64", () => {
  it("sorts like a numeric comparison sort, negatives, zeros and infinities included", () => {
    const rng = createRng(21, TREE_STREAM);
    for (const n of [5, 600, 3000]) {
      const vals = Float64Array.from({ length: n }, (_, i) =>
        i % 97 === 0 ? -Infinity : i % 89 === 0 ? Infinity : i % 13 === 0 ? 0 : i % 17 === 0 ? -0 : (rng.next() - 0.5) * 10 ** rng.nextInt(12),
      );
      const want = Array.from(vals).sort((a, b) => a - b);
      sortFloat64(vals);
      assert.deepEqual(Array.from(vals, (v) => (v === 0 ? 0 : v)), want.map((v) => (v === 0 ? 0 : v)));
    }
  });

  it("sorts values that share their high bytes (integers)", () => {
    const rng = createRng(2, TREE_STREAM);
    const vals = Float64Array.from({ length: 2000 }, () => rng.nextInt(40));
    const want = Array.from(vals).sort((a, b) => a - b);
    sortFloat64(vals);
    assert.deepEqual(Array.from(vals), want);
  });
});
