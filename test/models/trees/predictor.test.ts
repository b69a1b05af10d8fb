import { strict as assert } from "node:assert";
import { SparkifyError } from "../../../lib/errors";
import { binMatrix, fitBinMapper } from "../../../lib/models/trees/binning";
import { GrowerWorkspace, growerData, growTree } from "../../../lib/models/trees/grower";
import {
  addTreeBinned,
  flatTreesFromJSON,
  flatTreesToJSON,
  flattenTrees,
  pathContributions,
  predictSum,
  treeImportance,
} from "../../../lib/models/trees/predictor";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import { uniformData } from "./helpers";

function grownForest() {
  const { X, y } = uniformData(300, 3, 5, (r) => (r[0] > 0 !== r[2] > 0.2 ? 1 : 0));
  // Some missing values, so that the learned directions are exercised.
  for (let i = 0; i < X.data.length; i += 11) X.data[i] = NaN;
  const m = fitBinMapper(X, 32);
  const codes = binMatrix(X, m);
  const ws = new GrowerWorkspace(growerData(codes, 300, m));
  const h = new Float64Array(300).fill(1);
  const trees = [0, 1, 2].map((k) =>
    growTree(ws, Float64Array.from(y, (v) => v - 0.3 * k), h, Uint32Array.from({ length: 300 }, (_, i) => i), {
      maxDepth: 3,
      maxLeaves: 0,
      split: { l2: 1, minSamplesLeaf: 5, minChildWeight: 0 },
      leafScale: -0.5,
      features: Int32Array.from([0, 1, 2]),
      maxFeaturesPerNode: 0,
      rng: createRng(k, TREE_STREAM),
    }),
  );
  return { X, codes, m, trees, flat: flattenTrees(trees) };
}

describe("models/trees/predictor", () => {
  const { X, codes, m, trees, flat } = grownForest();

  it("routes raw values (thresholds) exactly as training routed bins", () => {
    const binned = new Float64Array(X.nRows);
    for (const t of trees) addTreeBinned(t, codes, X.nCols, m.missingBin, binned);
    const raw = predictSum(flat, X);
    for (let i = 0; i < X.nRows; i++) assert.equal(raw[i], binned[i]);
  });

  it("has path contributions that sum to the prediction, with the bias last", () => {
    const c = pathContributions(flat, X, 3, 0.5);
    const p = predictSum(flat, X);
    for (let i = 0; i < X.nRows; i++) {
      let s = 0;
      for (let j = 0; j <= X.nCols; j++) s += c[i * (X.nCols + 1) + j];
      assert.ok(Math.abs(s - 0.5 * p[i]) < 1e-12);
      assert.equal(c[i * 4 + 1] === 0 || flat.feature.includes(1), true, "only split features get credit");
    }
  });

  it("normalises importances and reports 'split' counts", () => {
    const gain = treeImportance(flat, 3, "gain");
    const split = treeImportance(flat, 3, "split");
    assert.ok(Math.abs(gain.reduce((a, b) => a + b) - 1) < 1e-12);
    const nSplits = flat.feature.filter((f) => f >= 0).length;
    assert.equal(split[0] * nSplits, flat.feature.filter((f) => f === 0).length);
    assert.ok(gain[1] < gain[0] && gain[1] < gain[2], "the noise feature gains least");
  });

  it("round-trips through JSON, keeping infinite thresholds and truncating to the first trees", () => {
    const json = JSON.parse(JSON.stringify(flatTreesToJSON(flat)));
    const back = flatTreesFromJSON(json, 3, "test");
    assert.deepEqual(predictSum(back, X), predictSum(flat, X));
    const two = flatTreesFromJSON(JSON.parse(JSON.stringify(flatTreesToJSON(flat, 2))), 3, "test");
    assert.deepEqual(predictSum(two, X), predictSum(flat, X, 2));
  });

  it("rejects damaged trees with a clear SparkifyError", () => {
    const good = () => JSON.parse(JSON.stringify(flatTreesToJSON(flat)));
    const split = flat.feature.indexOf(0);
    const cases: Array<[(j: Record<string, unknown[]>) => void, RegExp]> = [
      [(j) => (j.feature[split] = 7), /feature 7/],
      [(j) => (j.left[split] = 0), /child 0 outside/],
      [(j) => j.value.pop(), /trees.value has/],
      [(j) => (j.value[0] = "x"), /value\[0\] is not a finite number/],
      [(j) => (j.treeOffsets[1] = 99999), /out of order|cover/],
      [(j) => delete j.gain, /trees.gain is not an array/],
    ];
    for (const [damage, re] of cases) {
      const j = good();
      damage(j);
      assert.throws(() => flatTreesFromJSON(j, 3, "m.json"), (e: unknown) => e instanceof SparkifyError && /m\.json: damaged model file/.test(e.message) && re.test(e.message));
    }
  });
});
