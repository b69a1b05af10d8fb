import * as assert from "node:assert/strict";
import { createRng } from "../../lib/random";
import { treeShap, treesOfModel } from "../../lib/evaluation/treeShap";
import { RandomForest } from "../../lib/models/forest";
import { GradientBoostedTrees } from "../../lib/models/gbt";
import { flattenTrees, type FlatTrees } from "../../lib/models/trees";
import { matrixFromRows, type Matrix } from "../../lib/models/types";

/** E[tree(x) | the features in S known]: known features follow x, unknown ones split by cover (the path-dependent value function). */
function conditional(trees: FlatTrees, t: number, x: ArrayLike<number>, known: Set<number>): number {
  const walk = (n: number): number => {
    const f = trees.feature[n];
    if (f < 0) return trees.value[n];
    const l = trees.left[n];
    const r = trees.right[n];
    if (known.has(f)) {
      const v = x[f];
      return walk(v !== v ? (trees.missingLeft[n] ? l : r) : v <= trees.threshold[n] ? l : r);
    }
    return (trees.cover[l] * walk(l) + trees.cover[r] * walk(r)) / (trees.cover[l] + trees.cover[r]);
  };
  return walk(trees.treeOffsets[t]);
}

/** Shapley values by the definition: every subset of the other features, weighted |S|!(M−|S|−1)!/M!. */
function bruteShapley(trees: FlatTrees, x: ArrayLike<number>, M: number, scale: number): number[] {
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const nT = trees.treeOffsets.length - 1;
  const v = (S: Set<number>): number => {
    let s = 0;
    for (let t = 0; t < nT; t++) s += conditional(trees, t, x, S);
    return scale * s;
  };
  const phi = new Array<number>(M).fill(0);
  for (let j = 0; j < M; j++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if (mask & (1 << j)) continue;
      const S = new Set<number>();
      for (let k = 0; k < M; k++) if (mask & (1 << k)) S.add(k);
      const w = (fact(S.size) * fact(M - S.size - 1)) / fact(M);
      const withJ = new Set(S).add(j);
      phi[j] += w * (v(withJ) - v(S));
    }
  }
  return phi;
}

function data(n: number, M: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const rows = Array.from({ length: n }, () => Array.from({ length: M }, (_, k) => (k === 2 && rng.next() < 0.1 ? NaN : Math.round(rng.next() * 100) / 10)));
  const y = Float64Array.from(rows, (r) => (rng.next() < 0.15 + 0.5 * (r[0] > 5 ? 1 : 0) * (r[1] < 4 ? 1 : 0) + 0.2 * (r[2] > 7 ? 1 : 0) ? 1 : 0));
  return { X: matrixFromRows(rows), y };
}

describe("evaluation/treeShap", () => {
  it("equals brute-force Shapley values on a hand-built tree that splits twice on one feature", async () => {
    // x0 <= 5 ? (x1 <= 2 ? 1 : (x0 <= 2 ? 3 : 4)) : 10, covers chosen unevenly
    const tree = {
      feature: Int32Array.from([0, 1, -1, 0, -1, -1, -1]),
      threshold: Float64Array.from([5, 2, 0, 2, 0, 0, 0]),
      missingLeft: Uint8Array.from([1, 0, 0, 0, 0, 0, 0]),
      left: Int32Array.from([1, 2, -1, 4, -1, -1, -1]),
      right: Int32Array.from([6, 3, -1, 5, -1, -1, -1]),
      value: Float64Array.from([0, 0, 1, 0, 3, 4, 10]),
      gain: new Float64Array(7),
      cover: Float64Array.from([100, 70, 30, 40, 15, 25, 30]),
      binThreshold: new Uint8Array(7),
    };
    const trees = flattenTrees([tree as never]);
    const X = matrixFromRows([[1, 5], [3, 1], [7, 0], [NaN, 9]]);
    const shap = treeShap(trees, X);
    for (let i = 0; i < X.nRows; i++) {
      const brute = bruteShapley(trees, X.data.subarray(i * 2, i * 2 + 2), 2, 1);
      for (let j = 0; j < 2; j++) assert.ok(Math.abs(shap[i * 3 + j] - brute[j]) < 1e-12, `row ${i} feature ${j}: ${shap[i * 3 + j]} vs ${brute[j]}`);
    }
  });

  for (const kind of ["rf", "gbt"] as const) {
    it(`${kind}: local accuracy on every row and brute-force Shapley equality on small trees`, async () => {
      const M = 4;
      const { X, y } = data(400, M, kind === "rf" ? 3 : 4);
      const model = kind === "rf"
        ? (await new RandomForest({ nEstimators: 6, maxDepth: 4, seed: 1, nThreads: 1, maxFeatures: 0.75 }).fit(X, y))
        : (await new GradientBoostedTrees({ nEstimators: 8, maxDepth: 3, seed: 1 } as never).fit(X, y));
      const { trees, baseScore, nTrees } = treesOfModel(model.toJSON());
      const scale = kind === "rf" ? 1 / nTrees : 1;
      const offset = kind === "rf" ? 0 : baseScore;
      const shap = treeShap(trees, X, scale, offset);
      const raw = kind === "rf" ? model.predictProba(X) : (model as GradientBoostedTrees).decisionFunction(X);
      for (let i = 0; i < X.nRows; i++) {
        let s = 0;
        for (let j = 0; j <= M; j++) s += shap[i * (M + 1) + j];
        assert.ok(Math.abs(s - raw[i]) < 1e-9, `row ${i}: Σ SHAP ${s} vs model output ${raw[i]}`);
      }
      for (let i = 0; i < 25; i++) {
        const brute = bruteShapley(trees, X.data.subarray(i * M, (i + 1) * M), M, scale);
        for (let j = 0; j < M; j++) assert.ok(Math.abs(shap[i * (M + 1) + j] - brute[j]) < 1e-9, `row ${i} feature ${j}: ${shap[i * (M + 1) + j]} vs ${brute[j]}`);
      }
    });
  }
});
