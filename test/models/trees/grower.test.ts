import { strict as assert } from "node:assert";
import { binMatrix, fitBinMapper } from "../../../lib/models/trees/binning";
import { GrowerWorkspace, growerData, growTree, partitionRows, type GrowOptions } from "../../../lib/models/trees/grower";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import type { Matrix } from "../../../lib/models/types";
import { uniformData } from "./helpers";

function workspace(X: Matrix, maxBins = 64): GrowerWorkspace {
  const m = fitBinMapper(X, maxBins);
  return new GrowerWorkspace(growerData(binMatrix(X, m), X.nRows, m));
}
const allRows = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
function opts(nF: number, over: Partial<GrowOptions> = {}): GrowOptions {
  return {
    maxDepth: 0,
    maxLeaves: 0,
    split: { l2: 0, minSamplesLeaf: 1, minChildWeight: 0 },
    leafScale: 1,
    features: Int32Array.from({ length: nF }, (_, i) => i),
    maxFeaturesPerNode: 0,
    rng: createRng(0, TREE_STREAM),
    ...over,
  };
}
/** Forest-style targets: g = y, h = 1, so node values are class-1 shares. */
function gini(y: Float64Array): { g: Float64Array; h: Float64Array } {
  return { g: Float64Array.from(y), h: new Float64Array(y.length).fill(1) };
}

describe("models/trees/grower", () => {
  it("finds a step at 0.3 on the informative feature with one split", () => {
    // 200 rows < 255 bins: every value has its own bin, so the step is exactly representable.
    const { X, y } = uniformData(200, 3, 1, (r) => (r[1] > 0.3 ? 1 : 0));
    const ws = workspace(X, 255);
    const { g, h } = gini(y);
    const t = growTree(ws, g, h, allRows(200), opts(3));
    assert.equal(t.feature[0], 1);
    assert.ok(Math.abs(t.threshold[0] - 0.3) < 0.05, `threshold ${t.threshold[0]}`);
    assert.equal(t.feature.length, 3, "pure children are not split further");
    assert.deepEqual([t.value[t.left[0]], t.value[t.right[0]]], [0, 1]);
  });

  it("respects maxLeaves (best-first) and maxDepth", () => {
    const { X, y } = uniformData(600, 2, 2, (r) => (Math.sin(6 * r[0]) * r[1] > 0 ? 1 : 0));
    const ws = workspace(X);
    const { g, h } = gini(y);
    const leaves = (t: { feature: Int32Array }) => t.feature.filter((f) => f < 0).length;
    const t5 = growTree(ws, g, h, allRows(600), opts(2, { maxLeaves: 5 }));
    assert.equal(leaves(t5), 5);
    const d2 = growTree(ws, g, h, allRows(600), opts(2, { maxDepth: 2 }));
    assert.ok(leaves(d2) <= 4 && leaves(d2) >= 3);
    const depth = (t: { left: Int32Array; right: Int32Array }, n = 0): number => (t.left[n] < 0 ? 0 : 1 + Math.max(depth(t, t.left[n]), depth(t, t.right[n])));
    assert.equal(depth(d2), 2);
  });

  it("grows the same tree by subtraction (best-first) as by direct per-node histograms (depth-first)", () => {
    const { X, y } = uniformData(500, 4, 3, (r) => (r[0] + r[1] * r[2] > 0.1 ? 1 : 0));
    const ws = workspace(X);
    const { g, h } = gini(y);
    // minSamplesLeaf 10 avoids exact gain ties in tiny nodes (ties go to the first feature, whose order differs).
    const split = { l2: 0, minSamplesLeaf: 10, minChildWeight: 0 };
    const a = growTree(ws, g, h, allRows(500), opts(4, { maxDepth: 4, split }));
    const b = growTree(ws, g, h, allRows(500), opts(4, { maxDepth: 4, split, maxFeaturesPerNode: 4 }));
    assert.ok(a.feature.length > 15);
    // Same splits (node numbering differs: compare the multiset of (feature, threshold)).
    const key = (t: typeof a) => Array.from(t.feature, (f, i) => (f < 0 ? "" : `${f}:${t.threshold[i]}`)).filter(Boolean).sort();
    assert.deepEqual(key(a), key(b));
  });

  it("partitions rows stably by bin and missing direction", () => {
    const X: Matrix = { data: Float64Array.from([0, NaN, 2, 3, 0, NaN, 1]), nRows: 7, nCols: 1, columns: ["a"] };
    const ws = workspace(X);
    const rows = allRows(7);
    const base = { feature: 0, gain: 1, gL: 0, hL: 0, cL: 0, gR: 0, hR: 0, cR: 0 };
    const mid = partitionRows(ws.data, rows, 0, 7, { ...base, bin: 1, missingLeft: true }, ws.scratchRows);
    assert.equal(mid, 5);
    assert.deepEqual(Array.from(rows), [0, 1, 4, 5, 6, 2, 3]);
    const rows2 = allRows(7);
    assert.equal(partitionRows(ws.data, rows2, 0, 7, { ...base, bin: 1, missingLeft: false }, ws.scratchRows), 3);
    assert.deepEqual(Array.from(rows2), [0, 4, 6, 1, 2, 3, 5]);
  });

  it("only splits on the features it is given", () => {
    const { X, y } = uniformData(300, 3, 4, (r) => (r[0] > 0 ? 1 : 0));
    const ws = workspace(X);
    const { g, h } = gini(y);
    const t = growTree(ws, g, h, allRows(300), opts(3, { features: Int32Array.from([1, 2]), maxDepth: 3 }));
    assert.ok(t.feature.every((f) => f !== 0));
  });
});
