import { strict as assert } from "node:assert";
import { RandomForest } from "../../../lib/models/forest";
import { GradientBoostedTrees } from "../../../lib/models/gbt";
import { MISSING_CODE, codeMatrix, codeTrees, codedLeaf, walkTreeCoded } from "../../../lib/models/trees/codedTrees";
import { ColumnPermuter } from "../../../lib/models/trees/batchPredictor";
import { flatTreesFromJSON, predictSum, treeCount, type FlatTrees } from "../../../lib/models/trees/predictor";
import type { Matrix } from "../../../lib/models/types";
import { createRng } from "../../../lib/random";
import { matrix, uniformData } from "./helpers";

/** The reference: the leaf by comparing doubles, as predictSum walks. */
function leafByDoubles(trees: FlatTrees, X: Matrix, i: number, root: number): number {
  let n = root;
  while (trees.feature[n] >= 0) {
    const v = X.data[i * X.nCols + trees.feature[n]];
    n = v !== v ? (trees.missingLeft[n] ? trees.left[n] : trees.right[n]) : v <= trees.threshold[n] ? trees.left[n] : trees.right[n];
  }
  return n;
}

/** Rows made of the trees' own thresholds, their neighbours, ±0, ±Infinity and NaN: every edge case of `v <= threshold`. */
function edgeRows(trees: FlatTrees, nCols: number, n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const special = [0, -0, Infinity, -Infinity, NaN, 1e308, -1e308];
  const data = new Float64Array(n * nCols);
  for (let i = 0; i < data.length; i++) {
    const u = rng.next();
    const t = trees.threshold[Math.floor(rng.next() * trees.threshold.length)];
    data[i] = u < 0.4 ? t : u < 0.55 ? t + (rng.next() < 0.5 ? -1e-12 : 1e-12) : u < 0.7 ? special[Math.floor(rng.next() * special.length)] : rng.next() * 4 - 2;
  }
  return matrix(data, nCols);
}

function assertSameLeaves(trees: FlatTrees, X: Matrix, what: string): void {
  const coded = codeTrees(trees, X.nCols, treeCount(trees));
  assert.ok(coded, what);
  const codes = codeMatrix(coded, X);
  const leaves = new Int32Array(X.nRows);
  for (let t = 0; t < treeCount(trees); t++) {
    const root = trees.treeOffsets[t];
    walkTreeCoded(coded.nodes, root, codes, X.nRows, X.nCols, leaves, 0);
    for (let i = 0; i < X.nRows; i++) {
      const want = leafByDoubles(trees, X, i, root);
      assert.equal(leaves[i], want, `${what}: tree ${t}, row ${i}`);
      assert.equal(codedLeaf(coded.nodes, codes, i * X.nCols, root), want, `${what}: tree ${t}, row ${i} (codedLeaf)`);
    }
  }
}

describe("models/trees/codedTrees", () => {
  it("coded walks reach the leaf the double comparisons reach: fitted forests and boosted trees, values on and next to thresholds, ±0, ±Infinity, NaN", async () => {
    const { X, y } = uniformData(500, 4, 9, (r) => (r[0] > 0.2 !== r[1] < -0.1 ? 1 : 0));
    for (let i = 0; i < 500; i += 7) X.data[i * 4 + (i % 4)] = NaN;
    const rf = await new RandomForest({ nEstimators: 8, seed: 1, nThreads: 1 }).fit(X, y);
    const gbt = await new GradientBoostedTrees({ nEstimators: 10, seed: 1 }).fit(X, y);
    for (const [name, m] of [["forest", rf], ["boosted", gbt]] as const) {
      const trees = (m as unknown as { trees_: FlatTrees }).trees_;
      assertSameLeaves(trees, X, `${name} on its training rows`);
      assertSameLeaves(trees, edgeRows(trees, 4, 400, 3), `${name} on edge values`);
    }
  });

  it("handles an Infinity threshold, a -0 threshold next to 0 and missing values sent either way", () => {
    const trees = flatTreesFromJSON(
      {
        treeOffsets: [0, 5, 8],
        feature: [0, 0, -1, -1, -1, 1, -1, -1],
        threshold: [0, -0, 0, 0, 0, null, 0, 0],
        missingLeft: [1, 0, 0, 0, 0, 0, 0, 0],
        left: [1, 3, -1, -1, -1, 6, -1, -1],
        right: [2, 4, -1, -1, -1, 7, -1, -1],
        value: [0, 0, 1, 2, 3, 0, 4, 5],
        gain: [1, 1, 0, 0, 0, 1, 0, 0],
        cover: [1, 1, 1, 1, 1, 1, 1, 1],
      },
      2,
      "hand tree",
    );
    const X = matrix([0, 0, -0, Infinity, NaN, NaN, -1, -Infinity, 1, 5, Infinity, 1e300], 2);
    assertSameLeaves(trees, X, "hand tree");
    const coded = codeTrees(trees, 2, 2);
    assert.ok(coded);
    assert.equal(coded.thresholds[0].length, 1, "-0 and 0 are one threshold");
    assert.equal(codeMatrix(coded, X)[4], MISSING_CODE);
  });

  it("a feature with more thresholds than a Uint16 code tells apart: no codes, and ColumnPermuter walks the doubles instead", () => {
    // one chain-shaped tree: node 2k splits feature 0 at k (left: a leaf worth k), 65,535 distinct thresholds
    const K = 65_535;
    const n = 2 * K + 1;
    const json = { treeOffsets: [0, n], feature: new Array<number>(n).fill(-1), threshold: new Array<number>(n).fill(0), missingLeft: new Array<number>(n).fill(0), left: new Array<number>(n).fill(-1), right: new Array<number>(n).fill(-1), value: new Array<number>(n).fill(0), gain: new Array<number>(n).fill(0), cover: new Array<number>(n).fill(1) };
    for (let k = 0; k < K; k++) {
      json.feature[2 * k] = 0;
      json.threshold[2 * k] = k;
      json.missingLeft[2 * k] = k % 2;
      json.left[2 * k] = 2 * k + 1;
      json.right[2 * k] = 2 * k + 2;
      json.value[2 * k + 1] = k;
    }
    json.value[n - 1] = -1;
    const trees = flatTreesFromJSON(json, 2, "chain");
    assert.equal(codeTrees(trees, 2, 1), null);
    const rng = createRng(5);
    const X = matrix(Array.from({ length: 80 }, (_, i) => (i % 2 === 1 ? rng.next() : i % 10 === 0 ? NaN : rng.next() * (K + 5))), 2);
    const permuter = new ColumnPermuter(trees, X, () => undefined);
    const perm = Int32Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    const copy = Float64Array.from(X.data);
    for (let i = 0; i < 40; i++) copy[i * 2] = X.data[perm[i] * 2];
    assert.deepEqual(permuter.permuted([0], perm), predictSum(trees, { ...X, data: copy }));
    assert.deepEqual(permuter.base(), predictSum(trees, X));
  });
});
