import { strict as assert } from "node:assert";
import { NotFittedError, SparkifyError } from "../../../lib/errors";
import { AUTO_EARLY_STOPPING_ROWS, GradientBoostedTrees, usesEarlyStopping } from "../../../lib/models/gbt/gbt";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";
import type { Matrix, SavedModel } from "../../../lib/models/types";
import { accuracy, auc, matrix, uniformData } from "../trees/helpers";

const quick = { nEstimators: 60, minSamplesLeaf: 5, earlyStoppingRounds: 0 };
const xor = (r: Float64Array) => (r[0] > 0 !== r[1] > 0 ? 1 : 0);

describe("models/gbt/GradientBoostedTrees", () => {
  it("separates separable data", async () => {
    const { X, y } = uniformData(400, 3, 1, (r) => (r[0] > 0.2 ? 1 : 0));
    const m = await new GradientBoostedTrees(quick).fit(X, y);
    assert.equal(accuracy(m.predictProba(X), y), 1);
    const test = uniformData(400, 3, 2, (r) => (r[0] > 0.2 ? 1 : 0));
    assert.ok(accuracy(m.predictProba(test.X), test.y) > 0.97);
    const imp = m.featureImportances_!;
    assert.ok(imp[0] > 0.9, `importance ${Array.from(imp)}`);
  });

  it("learns XOR, which no single split can start", async () => {
    const { X, y } = uniformData(800, 4, 3, xor);
    const m = await new GradientBoostedTrees(quick).fit(X, y);
    const test = uniformData(800, 4, 4, xor);
    assert.ok(accuracy(m.predictProba(test.X), test.y) > 0.93, `accuracy ${accuracy(m.predictProba(test.X), test.y)}`);
  });

  it("fits a monotone step function with monotone scores", async () => {
    const { X, y } = uniformData(600, 2, 5, (r) => (r[0] > 0.5 ? 1 : r[0] > -0.5 ? (r[1] > 0 ? 1 : 0) : 0));
    const m = await new GradientBoostedTrees({ ...quick, nEstimators: 100 }).fit(X, y);
    const grid = matrix(Array.from({ length: 41 }, (_, k) => [-1 + k / 20, 0.7]).flat(), 2);
    const p = m.predictProba(grid);
    for (let k = 1; k < p.length; k++) assert.ok(p[k] >= p[k - 1] - 0.05, `step ${k}: ${p[k - 1]} -> ${p[k]}`);
    assert.ok(p[0] < 0.1 && p[40] > 0.9);
  });

  it("routes missing values the learned way", async () => {
    // Missing x0 means churn; low x0 means no churn; high x0 means churn.
    const { X, y } = uniformData(600, 2, 6, (r) => (r[0] > 0.5 ? 1 : 0));
    for (let i = 0; i < 600; i += 4) {
      X.data[i * 2] = NaN;
      y[i] = 1;
    }
    const m = await new GradientBoostedTrees(quick).fit(X, y);
    const probe = matrix([NaN, 0, -0.8, 0, 0.9, 0], 2);
    const [pMissing, pLow, pHigh] = m.predictProba(probe);
    assert.ok(pMissing > 0.9 && pHigh > 0.9 && pLow < 0.1, `${pMissing} ${pLow} ${pHigh}`);
    // A feature never missing in training still scores when missing later.
    const p = m.predictProba(matrix([0.9, NaN], 2));
    assert.ok(p[0] > 0.9);
  });

  it("treats integer sample weights like duplicated rows", async () => {
    const rng = createRng(7, TREE_STREAM);
    const rows: number[][] = [];
    const y: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < 150; i++) {
      const r = [rng.nextInt(6), rng.nextInt(4), rng.next()];
      rows.push(r);
      y.push(rng.next() < (r[0] + r[1]) / 9 ? 1 : 0);
      w.push(1 + rng.nextInt(3));
    }
    const Xw = matrix(rows.flat(), 3);
    const dup = rows.flatMap((r, i) => Array.from({ length: w[i] }, () => r));
    const ydup = y.flatMap((v, i) => Array.from({ length: w[i] }, () => v));
    // 150 rows: every value has its own bin either way, so only the weighting can differ.
    const opts = { nEstimators: 30, minSamplesLeaf: 1, maxLeaves: 8, earlyStoppingRounds: 0 };
    const a = (await new GradientBoostedTrees(opts).fit(Xw, y, w)).predictProba(Xw);
    const b = (await new GradientBoostedTrees(opts).fit(matrix(dup.flat(), 3), ydup)).predictProba(Xw);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9, `row ${i}: ${a[i]} vs ${b[i]}`);
    const unweighted = (await new GradientBoostedTrees(opts).fit(Xw, y)).predictProba(Xw);
    assert.ok(unweighted.some((v, i) => Math.abs(v - a[i]) > 1e-3), "weights change the model");
  });

  it("is deterministic for a seed with row and column subsampling and early stopping", async () => {
    const { X, y } = uniformData(500, 6, 8, (r) => (r[0] + r[3] > 0 ? 1 : 0));
    const opts = { nEstimators: 40, subsample: 0.7, colsampleByTree: 0.5, earlyStopping: "on" as const, earlyStoppingRounds: 5, seed: 11 };
    const a = await new GradientBoostedTrees(opts).fit(X, y);
    const b = await new GradientBoostedTrees(opts).fit(X, y);
    assert.deepEqual(a.predictProba(X), b.predictProba(X));
    assert.equal(a.nEstimatorsFitted_, b.nEstimatorsFitted_);
    const c = await new GradientBoostedTrees({ ...opts, seed: 12 }).fit(X, y);
    assert.notDeepEqual(a.predictProba(X), c.predictProba(X));
  });

  it("stops early on noise, keeping the best round", async () => {
    const { X, y } = uniformData(600, 3, 9, () => 0);
    const rng = createRng(1, TREE_STREAM);
    for (let i = 0; i < y.length; i++) y[i] = rng.next() < 0.3 ? 1 : 0;
    const m = await new GradientBoostedTrees({ nEstimators: 200, earlyStopping: "on", earlyStoppingRounds: 5, minSamplesLeaf: 5 }).fit(X, y);
    assert.ok(m.nEstimatorsFitted_! < 50, `fitted ${m.nEstimatorsFitted_}`);
    const losses = m.validationLoss_!;
    const best = losses.indexOf(Math.min(...losses));
    assert.equal(m.nEstimatorsFitted_, best + 1);
    assert.equal(losses.length, best + 1 + 5);
  });

  it("has scikit-learn's HistGradientBoostingClassifier defaults", async () => {
    const o = new GradientBoostedTrees().getParams();
    // sklearn 1.2: max_iter 100, learning_rate 0.1, max_leaf_nodes 31, max_depth None, min_samples_leaf 20,
    // l2_regularization 0, max_bins 255, early_stopping "auto", n_iter_no_change 10, validation_fraction 0.1.
    assert.deepEqual(
      [o.nEstimators, o.learningRate, o.maxLeaves, o.maxDepth, o.minSamplesLeaf, o.l2, o.maxBins, o.earlyStopping, o.earlyStoppingRounds, o.validationFraction],
      [100, 0.1, 31, 0, 20, 0, 255, "auto", 10, 0.1],
    );
  });

  it("stops early by default only past 10,000 rows (scikit-learn's rule), on all rows below", async () => {
    const noisy = (n: number) => {
      const { X, y } = uniformData(n, 2, 21, () => 0);
      const rng = createRng(3, TREE_STREAM);
      for (let i = 0; i < y.length; i++) y[i] = rng.next() < 0.2 + 0.2 * (X.data[i * 2] > 0 ? 1 : 0) ? 1 : 0;
      return { X, y };
    };
    const small = noisy(AUTO_EARLY_STOPPING_ROWS);
    const a = await new GradientBoostedTrees({ nEstimators: 30, seed: 1 }).fit(small.X, small.y);
    assert.deepEqual(a.validationLoss_, []);
    assert.equal(a.nEstimatorsFitted_, 30);
    assert.equal(usesEarlyStopping(a.getParams(), AUTO_EARLY_STOPPING_ROWS), false);
    assert.equal(usesEarlyStopping(a.getParams(), AUTO_EARLY_STOPPING_ROWS + 1), true);
    assert.equal(usesEarlyStopping({ ...a.getParams(), earlyStopping: "on" }, 100), true);
    assert.equal(usesEarlyStopping({ ...a.getParams(), earlyStopping: "on", earlyStoppingRounds: 0 }, 100), false);
    assert.equal(usesEarlyStopping({ ...a.getParams(), earlyStopping: "off" }, 1e6), false);
    const big = noisy(AUTO_EARLY_STOPPING_ROWS + 1);
    const b = await new GradientBoostedTrees({ nEstimators: 300, learningRate: 0.3, seed: 1 }).fit(big.X, big.y);
    assert.ok(b.validationLoss_!.length > 0 && b.nEstimatorsFitted_! < 300, `fitted ${b.nEstimatorsFitted_}`);
  });

  it("has contributions that sum to the raw score, crediting the informative feature", async () => {
    const { X, y } = uniformData(400, 3, 10, (r) => (r[1] > 0 ? 1 : 0));
    const m = await new GradientBoostedTrees(quick).fit(X, y);
    const c = m.contributions(X);
    const raw = m.decisionFunction(X);
    for (let i = 0; i < X.nRows; i++) {
      let s = 0;
      for (let j = 0; j <= 3; j++) s += c[i * 4 + j];
      assert.ok(Math.abs(s - raw[i]) < 1e-9);
      assert.ok(Math.abs(c[i * 4 + 1]) >= Math.abs(c[i * 4]) && Math.abs(c[i * 4 + 1]) >= Math.abs(c[i * 4 + 2]));
      assert.equal(Math.sign(c[i * 4 + 1]), y[i] ? 1 : -1);
    }
    assert.ok(Math.abs(auc(m.predictProba(X), y) - 1) < 1e-12);
  });

  it("scores the same after toJSON / JSON text / fromJSON", async () => {
    const { X, y } = uniformData(300, 3, 12, xor);
    for (let i = 0; i < X.data.length; i += 7) X.data[i] = NaN;
    const m = await new GradientBoostedTrees({ nEstimators: 30, earlyStopping: "on", earlyStoppingRounds: 3, minSamplesLeaf: 3 }).fit(X, y);
    const text = JSON.stringify(m.toJSON());
    const back = GradientBoostedTrees.fromJSON(JSON.parse(text) as SavedModel);
    assert.deepEqual(back.predictProba(X), m.predictProba(X));
    assert.deepEqual(back.contributions(X), m.contributions(X));
    assert.deepEqual(back.featureImportance("split"), m.featureImportance("split"));
    assert.equal(back.nEstimatorsFitted_, m.nEstimatorsFitted_);
    assert.deepEqual(back.getParams(), m.getParams());
  });

  it("refuses a model of another kind, another version or a damaged file", async () => {
    const { X, y } = uniformData(200, 2, 13, xor);
    const saved = (await new GradientBoostedTrees({ nEstimators: 5, earlyStoppingRounds: 0 }).fit(X, y)).toJSON();
    const copy = (): SavedModel => JSON.parse(JSON.stringify(saved)) as SavedModel;
    const isErr = (code: string, re: RegExp) => (e: unknown) => e instanceof SparkifyError && e.code === code && re.test(e.message);
    assert.throws(() => GradientBoostedTrees.fromJSON({ ...copy(), kind: "rf" }), isErr("E_MODEL_KIND", /"rf" model, not "gbt"/));
    assert.throws(() => GradientBoostedTrees.fromJSON({ ...copy(), formatVersion: 2 }), isErr("E_MODEL_VERSION", /format version 2/));
    const noTrees = copy();
    delete noTrees.state.trees;
    assert.throws(() => GradientBoostedTrees.fromJSON(noTrees), isErr("E_MODEL_DAMAGED", /trees are missing/));
    const badBase = copy();
    badBase.state.baseScore = "x";
    assert.throws(() => GradientBoostedTrees.fromJSON(badBase), isErr("E_MODEL_DAMAGED", /baseScore/));
    const badParam = copy();
    badParam.params.learningRate = -1;
    assert.throws(() => GradientBoostedTrees.fromJSON(badParam), isErr("E_MODEL_DAMAGED", /learningRate/));
    const badCount = copy();
    badCount.state.nEstimatorsFitted = 99;
    assert.throws(() => GradientBoostedTrees.fromJSON(badCount), isErr("E_MODEL_DAMAGED", /nEstimatorsFitted/));
  });

  it("throws NotFittedError before fit", async () => {
    const m = new GradientBoostedTrees();
    const X = matrix([1, 2], 2);
    assert.throws(() => m.predictProba(X), NotFittedError);
    assert.throws(() => m.contributions(X), NotFittedError);
    assert.throws(() => m.toJSON(), NotFittedError);
    assert.throws(() => m.featureImportance("gain"), NotFittedError);
  });

  it("rejects bad parameters through paramConstraints, naming them", async () => {
    const { X, y } = uniformData(50, 2, 14, xor);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ nEstimators: 0 }, /nEstimators = 0/],
      [{ nEstimators: 2.5 }, /nEstimators/],
      [{ learningRate: 0 }, /learningRate/],
      [{ maxBins: 256 }, /maxBins = 256.*<= 255/],
      [{ subsample: 1.5 }, /subsample/],
      [{ maxLeaves: 1 }, /maxLeaves/],
      [{ validationFraction: 1 }, /validationFraction/],
      [{ l2: NaN }, /l2/],
      [{ earlyStopping: "yes" }, /earlyStopping = "yes".*"auto", "on", "off"/],
      [{ maxDepht: 3 }, /unknown parameter "maxDepht"/],
    ];
    for (const [p, re] of bad) {
      await assert.rejects(() => new GradientBoostedTrees(p as never).fit(X, y), (e: unknown) => e instanceof SparkifyError && e.code === "E_BAD_PARAM" && re.test(e.message), JSON.stringify(p));
    }
    assert.ok(GradientBoostedTrees.paramConstraints.nEstimators.length > 0);
  });

  it("rejects bad training data with clear messages", async () => {
    const X: Matrix = matrix([1, 2, 3, 4], 1);
    await assert.rejects(() => new GradientBoostedTrees().fit(X, [0, 1, 2, 0]), /y\[2\] = 2/);
    await assert.rejects(() => new GradientBoostedTrees().fit(X, [0, 1]), /2 labels but X has 4 rows/);
    await assert.rejects(() => new GradientBoostedTrees().fit(X, [1, 1, 1, 1]), /both classes/);
    await assert.rejects(() => new GradientBoostedTrees().fit(X, [0, 1, 0, 1], [1, -1, 1, 1]), /sampleWeight\[1\]/);
    const m = await new GradientBoostedTrees({ nEstimators: 2, earlyStoppingRounds: 0, minSamplesLeaf: 1 }).fit(X, [0, 1, 0, 1]);
    assert.throws(() => m.predictProba(matrix([1, 2], 2)), /2 columns, the model was fitted on 1/);
  });
});
