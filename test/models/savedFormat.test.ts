import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { GradientBoostedTrees, LogisticRegression, RandomForest, FeatureEncoder, initBackend, matrixFromRows, type SavedModel, type SavedEncoder } from "../../lib/models";
import { ProbabilityCalibrator, type SavedCalibrator } from "../../lib/models/calibration";

// test/models/fixtures/saved-before-idiom.json was written by the estimators as they were before the one
// estimator idiom (commit 51c08ec), from the data below. The refactor was to change no result and no file:
// the same fits give the same saved JSON, and the old files load and save back unchanged.
interface Fixture {
  gbt: SavedModel;
  rf: SavedModel;
  lr: SavedModel;
  calibrator: SavedCalibrator;
  encoder: SavedEncoder;
  lrProba: number[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "saved-before-idiom.json"), "utf8")) as Fixture;

const rows = Array.from({ length: 300 }, (_, i) => [((i * 37) % 101) / 10, i % 7 === 3 ? NaN : ((i * 53) % 89) / 8, (i * 11) % 5, ((i * i) % 97) / 97]);
const X = matrixFromRows(rows, ["a", "b", "c", "d"]);
const y = rows.map((r, i) => (r[0] + (Number.isNaN(r[1]) ? 5 : r[1]) / 2 + ((i * 7919) % 13) / 3 > 11 ? 1 : 0));
const w = y.map((v) => (v ? 2 : 1));
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe("models: saved form unchanged by the estimator idiom", () => {
  it("the tree models fit to the same saved JSON as before", async () => {
    const gbt = await new GradientBoostedTrees({ nEstimators: 20, maxLeaves: 7, minSamplesLeaf: 5, subsample: 0.8, colsampleByTree: 0.75, seed: 3 }).fit(X, y, w);
    const rf = await new RandomForest({ nEstimators: 12, minSamplesLeaf: 3, seed: 5, nThreads: 1 }).fit(X, y, w);
    assert.deepEqual(json(gbt.toJSON()), fixture.gbt);
    assert.deepEqual(json(rf.toJSON()), fixture.rf);
    const cal = await new ProbabilityCalibrator({ method: "auto" }).fit(Array.from(gbt.decisionFunction(X)), y, y.map((_, i) => i % 3));
    assert.deepEqual(json(cal.toJSON()), fixture.calibrator);
  });

  it("the encoder fits to the same saved JSON as before", async () => {
    const table = rows.map((r, i) => ({ userId: `u${i}`, a: r[0], level: ["free", "paid", "trial"][i % 3], churn: y[i] }));
    const enc = await new FeatureEncoder({ maxCategories: 2 }).fit(table, [{ name: "a", type: "numeric" }, { name: "level", type: "categorical" }]);
    assert.deepEqual(json(enc.toJSON()), fixture.encoder);
  });

  it("logistic regression: the same JSON on the same TensorFlow.js backend; old files score as they did", async () => {
    const backend = await initBackend();
    const old = LogisticRegression.fromJSON(fixture.lr);
    assert.deepEqual(Array.from(old.predictProba(X)), fixture.lrProba);
    if (backend === fixture.lr.state.backend) {
      const lr = await new LogisticRegression({ l2: 0.5 }).fit(X, y);
      assert.deepEqual(json(lr.toJSON()), fixture.lr);
    }
  });

  it("every old file loads and saves back unchanged", () => {
    assert.deepEqual(json(GradientBoostedTrees.fromJSON(fixture.gbt).toJSON()), fixture.gbt);
    assert.deepEqual(json(RandomForest.fromJSON(fixture.rf).toJSON()), fixture.rf);
    assert.deepEqual(json(LogisticRegression.fromJSON(fixture.lr).toJSON()), fixture.lr);
    assert.deepEqual(json(ProbabilityCalibrator.fromJSON(fixture.calibrator).toJSON()), fixture.calibrator);
    assert.deepEqual(json(FeatureEncoder.fromJSON(fixture.encoder).toJSON()), fixture.encoder);
  });
});
