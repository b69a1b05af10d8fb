import { strict as assert } from "node:assert";
import { permutationImportance } from "../../../lib/evaluation/permutationImportance";
import { RandomForest } from "../../../lib/models/forest";
import { GradientBoostedTrees } from "../../../lib/models/gbt";
import { ColumnPermuter, isPermutableModel, predictSumBatch } from "../../../lib/models/trees/batchPredictor";
import { flatTreesFromJSON, predictSum, type FlatTrees } from "../../../lib/models/trees/predictor";
import type { Classifier, Matrix } from "../../../lib/models/types";
import { createRng, shuffleInPlace } from "../../../lib/random";
import { uniformData } from "./helpers";

/**
 * Rows with missing values in every column (so learned missing directions, left and right, are used),
 * a one-hot pair (columns 4 and 5, a "categorical" as the encoder gives it) and a constant column.
 */
function data(n: number, seed: number): { X: Matrix; y: Float64Array } {
  const { X, y } = uniformData(n, 7, seed, (r) => (r[0] > 0.1 !== r[2] > 0.3 || (r[4] > 0 && r[1] < 0) ? 1 : 0));
  const rng = createRng(seed + 1);
  for (let i = 0; i < n; i++) {
    const at = i * 7;
    const cat = X.data[at + 4] > 0 ? 1 : 0;
    X.data[at + 4] = cat;
    X.data[at + 5] = 1 - cat;
    X.data[at + 6] = 3;
    // missing in column 0 mostly for positives, so that a split learns to send NaN one way
    if (rng.next() < (y[i] ? 0.3 : 0.05)) X.data[at] = NaN;
    if (rng.next() < 0.1) X.data[at + 1 + Math.floor(rng.next() * 3)] = NaN;
  }
  return { X, y };
}

/** X with columns `cols` of row i taken from row perm[i], built the plain way. */
function permutedCopy(X: Matrix, cols: readonly number[], perm: Int32Array): Matrix {
  const d = Float64Array.from(X.data);
  for (const j of cols) for (let i = 0; i < X.nRows; i++) d[i * X.nCols + j] = X.data[perm[i] * X.nCols + j];
  return { ...X, data: d };
}

/** The same doubles, element by element (Object.is: -0 and NaN count too). */
function assertBitIdentical(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) if (!Object.is(actual[i], expected[i])) assert.fail(`${what}: row ${i}: ${actual[i]} !== ${expected[i]}`);
}

/** A forest and a boosted model fitted on `data`, with other rows (NaNs included) to predict. */
async function fitted() {
  const train = data(600, 3);
  const test = data(400, 11);
  const rf = await new RandomForest({ nEstimators: 30, minSamplesLeaf: 2, seed: 5, nThreads: 1 }).fit(train.X, train.y);
  const gbt = await new GradientBoostedTrees({ nEstimators: 40, maxLeaves: 15, minSamplesLeaf: 5, seed: 5, subsample: 0.8, colsampleByTree: 0.7 }).fit(train.X, train.y);
  return { rf, gbt, test };
}

/** A hand-made tree: NaN left at the root, NaN right below it, and an Infinity threshold ("non-missing left"). */
function handTree(): FlatTrees {
  return flatTreesFromJSON(
    {
      treeOffsets: [0, 5, 8],
      feature: [0, 1, -1, -1, -1, 2, -1, -1],
      threshold: [0.5, -0.25, 0, 0, 0, null, 0, 0],
      missingLeft: [1, 0, 0, 0, 0, 0, 0, 0],
      left: [1, 3, -1, -1, -1, 6, -1, -1],
      right: [2, 4, -1, -1, -1, 7, -1, -1],
      value: [0, 0, 0.125, 0.5, -0.75, 0, 1.5, -2.25],
      gain: [1, 1, 0, 0, 0, 1, 0, 0],
      cover: [1, 1, 1, 1, 1, 1, 1, 1],
    },
    3,
    "hand tree",
  );
}

describe("models/trees/batchPredictor", () => {
  let models: Awaited<ReturnType<typeof fitted>>;
  before(async () => {
    models = await fitted();
  });

  it("the trees under test split on missing values both ways (else the NaN routing would go untested)", () => {
    for (const m of [models.rf, models.gbt]) {
      const trees = flatTreesFromJSON(m.toJSON().state.trees, 7, "test");
      const split = Array.from(trees.feature.keys()).filter((n) => trees.feature[n] >= 0);
      assert.ok(split.some((n) => trees.missingLeft[n] === 1) && split.some((n) => trees.missingLeft[n] === 0), m.constructor.name);
      assert.ok(split.some((n) => trees.feature[n] === 4 || trees.feature[n] === 5), `${m.constructor.name} splits on the one-hot pair`);
    }
  });

  it("predicts tree by tree the same doubles as row by row (forest and boosted trees, NaN routed both ways)", () => {
    for (const m of [models.rf, models.gbt]) {
      const trees = flatTreesFromJSON(m.toJSON().state.trees, 7, "test");
      assertBitIdentical(predictSumBatch(trees, models.test.X), predictSum(trees, models.test.X), m.constructor.name);
      assertBitIdentical(predictSumBatch(trees, models.test.X, 7), predictSum(trees, models.test.X, 7), `${m.constructor.name}, first 7 trees`);
    }
  });

  it("routes NaN by each node's direction and an Infinity threshold sends every non-missing value left", () => {
    const trees = handTree();
    const X = { data: Float64Array.from([NaN, 0, 1, 0.7, NaN, NaN, 0.2, -0.3, 5, 0.2, 0, NaN, 1e308, 9, -Infinity]), nRows: 5, nCols: 3, columns: ["a", "b", "c"] };
    // row 0: NaN → left, b=0 > -0.25 → right (-0.75); c=1 ≤ ∞ → 1.5
    // row 1: 0.7 → right (0.125); c=NaN → right (-2.25)
    // row 2: 0.2 → left, b=-0.3 → left (0.5); c=5 → 1.5
    // row 3: 0.2 → left, b=0 → right (-0.75); c=NaN → -2.25
    // row 4: 1e308 → right (0.125); c=-∞ → 1.5
    const expected = Float64Array.from([-0.75 + 1.5, 0.125 - 2.25, 0.5 + 1.5, -0.75 - 2.25, 0.125 + 1.5]);
    assertBitIdentical(predictSum(trees, X), expected, "row by row");
    assertBitIdentical(predictSumBatch(trees, X), expected, "tree by tree");
    const permuter = new ColumnPermuter(trees, X, () => undefined);
    const swap = Int32Array.from([4, 3, 2, 1, 0]);
    assertBitIdentical(permuter.permuted([2], swap), predictSum(trees, permutedCopy(X, [2], swap)), "column c reversed");
    assertBitIdentical(permuter.permuted([0, 1], swap), predictSum(trees, permutedCopy(X, [0, 1], swap)), "columns a, b reversed");
  });

  it("predictProba of both ensembles equals the row-by-row sums put through the same finish", () => {
    const X = models.test.X;
    const rfTrees = flatTreesFromJSON(models.rf.toJSON().state.trees, 7, "rf");
    const nT = rfTrees.treeOffsets.length - 1;
    assertBitIdentical(models.rf.predictProba(X), predictSum(rfTrees, X).map((s) => Math.min(1, Math.max(0, s / nT))), "forest");
    const g = models.gbt.toJSON().state;
    const gTrees = flatTreesFromJSON(g.trees, 7, "gbt");
    const base = g.baseScore as number;
    assertBitIdentical(models.gbt.predictProba(X), predictSum(gTrees, X).map((s) => 1 / (1 + Math.exp(-(s + base)))), "boosted trees");
  });

  it("a ColumnPermuter gives predictProba of the permuted matrix, column by column, for one-hot groups and again after each call", () => {
    const X = models.test.X;
    const rng = createRng(17);
    for (const m of [models.rf, models.gbt]) {
      assert.ok(isPermutableModel(m));
      const permuter = m.columnPermuter(X);
      assertBitIdentical(permuter.base(), m.predictProba(X), `${m.constructor.name} base`);
      const perm = Int32Array.from({ length: X.nRows }, (_, i) => i);
      for (const cols of [[0], [1], [2], [3], [4, 5], [6], [0, 2], [0], [4, 5]]) {
        shuffleInPlace(perm, rng);
        assertBitIdentical(permuter.permuted(cols, perm), m.predictProba(permutedCopy(X, cols, perm)), `${m.constructor.name} columns ${cols}`);
      }
      assertBitIdentical(permuter.base(), m.predictProba(X), `${m.constructor.name} base after the permutations`);
    }
  });

  it("permutationImportance gives the same drops through the permuter as through plain predictProba", () => {
    const { X, y } = models.test;
    const featureOf = ["a", "b", "c", "d", "cat", "cat", "const"];
    for (const m of [models.rf, models.gbt]) {
      // the same model without columnPermuter: the plain path (copy, rewrite, predictProba)
      const plain: Classifier = { fit: async () => plain, predictProba: (M) => m.predictProba(M), toJSON: () => m.toJSON(), getParams: () => m.getParams() };
      const fast = permutationImportance(m, X, y, { featureOf, nRepeats: 3, seed: 4 });
      const slow = permutationImportance(plain, X, y, { featureOf, nRepeats: 3, seed: 4 });
      assert.deepEqual(fast, slow, m.constructor.name);
      assert.ok(fast.some((s) => s.mean > 0.01), "some feature matters");
      assert.equal(fast.find((s) => s.feature === "const")?.mean, 0, "a constant column changes nothing");
    }
  });

  it("a forest grown here (not read back from JSON) predicts the same through flattenTrees' node order", async () => {
    const { X, y } = data(300, 21);
    const rf = await new RandomForest({ nEstimators: 5, seed: 2, nThreads: 1 }).fit(X, y);
    const perm = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % 300);
    assertBitIdentical(rf.columnPermuter(X).permuted([0, 3], perm), rf.predictProba(permutedCopy(X, [0, 3], perm)), "forest fitted in this process");
    // the permuter's one forward pass over a tree relies on children numbered after their parent
    const trees = (rf as unknown as { trees_: FlatTrees }).trees_;
    for (let n = 0; n < trees.feature.length; n++) if (trees.feature[n] >= 0) assert.ok(trees.left[n] > n && trees.right[n] > n, `node ${n}`);
  });
});
