import { strict as assert } from "node:assert";
import { NotFittedError, SparkifyError } from "../../../lib/errors";
import { RandomForest, featuresPerNode } from "../../../lib/models/forest/RandomForest";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import type { SavedModel } from "../../../lib/models/types";
import { accuracy, matrix, uniformData } from "../trees/helpers";

const xor = (r: Float64Array) => (r[0] > 0 !== r[1] > 0 ? 1 : 0);

describe("models/forest/RandomForest", () => {
  it("separates separable data", async () => {
    const { X, y } = uniformData(300, 3, 1, (r) => (r[2] < -0.1 ? 1 : 0));
    const m = await new RandomForest({ nEstimators: 20, nThreads: 1 }).fit(X, y);
    const test = uniformData(300, 3, 2, (r) => (r[2] < -0.1 ? 1 : 0));
    assert.ok(accuracy(m.predictProba(test.X), test.y) > 0.97);
    assert.ok(m.featureImportances_![2] > 0.8);
  });

  it("learns XOR", async () => {
    const { X, y } = uniformData(600, 4, 3, xor);
    const m = await new RandomForest({ nEstimators: 30, maxFeatures: 0.5, nThreads: 1 }).fit(X, y);
    const test = uniformData(600, 4, 4, xor);
    assert.ok(accuracy(m.predictProba(test.X), test.y) > 0.9, `accuracy ${accuracy(m.predictProba(test.X), test.y)}`);
  });

  it("grows fully without limits (training rows scored exactly) and obeys maxDepth / minSamplesLeaf", async () => {
    const { X, y } = uniformData(200, 2, 5, xor);
    const full = await new RandomForest({ nEstimators: 1, bootstrap: false, maxFeatures: 1, nThreads: 1 }).fit(X, y);
    assert.equal(accuracy(full.predictProba(X), y), 1);
    const stump = await new RandomForest({ nEstimators: 1, bootstrap: false, maxFeatures: 1, maxDepth: 1, nThreads: 1 }).fit(X, y);
    assert.ok(stump.toJSON().state.trees && (stump.toJSON().state.trees as { feature: number[] }).feature.length <= 3);
    const leafy = await new RandomForest({ nEstimators: 1, bootstrap: false, maxFeatures: 1, minSamplesLeaf: 30, nThreads: 1 }).fit(X, y);
    const t = leafy.toJSON().state.trees as { feature: number[]; cover: number[] };
    t.feature.forEach((f, i) => f < 0 && assert.ok(t.cover[i] >= 30));
  });

  it("routes missing values the learned way", async () => {
    const { X, y } = uniformData(400, 2, 6, (r) => (r[0] > 0.5 ? 1 : 0));
    for (let i = 0; i < 400; i += 4) {
      X.data[i * 2] = NaN;
      y[i] = 1;
    }
    const m = await new RandomForest({ nEstimators: 20, maxFeatures: 1, nThreads: 1 }).fit(X, y);
    const [pMissing, pLow, pHigh] = m.predictProba(matrix([NaN, 0, -0.8, 0, 0.9, 0], 2));
    assert.ok(pMissing > 0.9 && pHigh > 0.9 && pLow < 0.1, `${pMissing} ${pLow} ${pHigh}`);
  });

  it("treats integer sample weights like duplicated rows (no bootstrap)", async () => {
    const rng = createRng(7, TREE_STREAM);
    const rows: number[][] = [];
    const y: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < 120; i++) {
      rows.push([rng.nextInt(5), rng.next()]);
      y.push(rng.next() < 0.2 + rows[i][0] / 8 ? 1 : 0);
      w.push(1 + rng.nextInt(3));
    }
    const Xw = matrix(rows.flat(), 2);
    const dup = rows.flatMap((r, i) => Array.from({ length: w[i] }, () => r));
    const ydup = y.flatMap((v, i) => Array.from({ length: w[i] }, () => v));
    const opts = { nEstimators: 3, bootstrap: false, maxFeatures: 1, maxDepth: 4, nThreads: 1 };
    const a = (await new RandomForest(opts).fit(Xw, y, w)).predictProba(Xw);
    const b = (await new RandomForest(opts).fit(matrix(dup.flat(), 2), ydup)).predictProba(Xw);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-12, `row ${i}: ${a[i]} vs ${b[i]}`);
    const plain = (await new RandomForest(opts).fit(Xw, y)).predictProba(Xw);
    assert.ok(plain.some((v, i) => Math.abs(v - a[i]) > 1e-3), "weights change the model");
  });

  it("is deterministic for a seed whatever the thread count (worker threads)", async () => {
    const { X, y } = uniformData(400, 6, 8, (r) => (r[0] + r[3] * r[4] > 0 ? 1 : 0));
    const a = await new RandomForest({ nEstimators: 12, seed: 3, nThreads: 1 }).fit(X, y);
    const b = await new RandomForest({ nEstimators: 12, seed: 3, nThreads: 3 }).fit(X, y);
    assert.deepEqual(b.toJSON().state, a.toJSON().state);
    const c = await new RandomForest({ nEstimators: 12, seed: 4, nThreads: 1 }).fit(X, y);
    assert.notDeepEqual(c.predictProba(X), a.predictProba(X));
  });

  it("has contributions that sum to the probability", async () => {
    const { X, y } = uniformData(300, 3, 9, xor);
    const m = await new RandomForest({ nEstimators: 10, nThreads: 1 }).fit(X, y);
    const c = m.contributions(X);
    const p = m.predictProba(X);
    for (let i = 0; i < X.nRows; i++) {
      let s = 0;
      for (let j = 0; j <= 3; j++) s += c[i * 4 + j];
      assert.ok(Math.abs(s - p[i]) < 1e-12);
    }
  });

  it("scores the same after toJSON / JSON text / fromJSON, and refuses other kinds, versions and damage", async () => {
    const { X, y } = uniformData(200, 3, 10, xor);
    for (let i = 0; i < X.data.length; i += 5) X.data[i] = NaN;
    const m = await new RandomForest({ nEstimators: 8, nThreads: 1 }).fit(X, y);
    const text = JSON.stringify(m.toJSON());
    const back = RandomForest.fromJSON(JSON.parse(text) as SavedModel);
    assert.deepEqual(back.predictProba(X), m.predictProba(X));
    assert.deepEqual(back.featureImportances_, m.featureImportances_);
    const saved = JSON.parse(text) as SavedModel;
    assert.throws(() => RandomForest.fromJSON({ ...saved, kind: "gbt" }), (e: unknown) => e instanceof SparkifyError && e.code === "E_MODEL_KIND");
    assert.throws(() => RandomForest.fromJSON({ ...saved, formatVersion: 0 }), (e: unknown) => e instanceof SparkifyError && e.code === "E_MODEL_VERSION");
    const cols = JSON.parse(text) as SavedModel;
    cols.state.columns = ["a"];
    assert.throws(() => RandomForest.fromJSON(cols), /state.columns must be 3 column names/);
    const trees = JSON.parse(text) as SavedModel;
    (trees.state.trees as { right: number[] }).right[0] = -5;
    assert.throws(() => RandomForest.fromJSON(trees), /damaged model file: node 0 has child -5/);
  });

  it("throws NotFittedError before fit and rejects bad parameters", async () => {
    assert.throws(() => new RandomForest().predictProba(matrix([1], 1)), NotFittedError);
    assert.throws(() => new RandomForest().contributions(matrix([1], 1)), NotFittedError);
    const { X, y } = uniformData(40, 2, 11, xor);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ nEstimators: -1 }, /nEstimators/],
      [{ maxFeatures: "all" }, /maxFeatures = "all".*"sqrt"/],
      [{ maxFeatures: 0 }, /maxFeatures/],
      [{ bootstrap: 1 }, /bootstrap/],
      [{ nThreads: 0 }, /nThreads/],
      [{ minSamplesLeaf: 0 }, /minSamplesLeaf/],
    ];
    for (const [p, re] of bad) {
      await assert.rejects(() => new RandomForest(p as never).fit(X, y), (e: unknown) => e instanceof SparkifyError && e.code === "E_BAD_PARAM" && re.test(e.message), JSON.stringify(p));
    }
  });

  it("draws sqrt / log2 / fractions of the features per node like scikit-learn", async () => {
    assert.equal(featuresPerNode("sqrt", 40), 6);
    assert.equal(featuresPerNode("log2", 40), 5);
    assert.equal(featuresPerNode(0.5, 5), 2);
    assert.equal(featuresPerNode(0.01, 5), 1);
  });
});
