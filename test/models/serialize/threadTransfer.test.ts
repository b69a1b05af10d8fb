import { strict as assert } from "node:assert";
import { deserialize, serialize } from "node:v8";
import { RandomForest } from "../../../lib/models/forest";
import { GradientBoostedTrees } from "../../../lib/models/gbt";
import { modelFamily, savedForThread, savedTransferList } from "../../../lib/models/serialize";
import type { SavedModel } from "../../../lib/models/types";
import { uniformData } from "../trees/helpers";

describe("models/serialize/threadTransfer", () => {
  it("a tree model rebuilt from its typed saved form (after a structured clone) is the model rebuilt from JSON text: same saved JSON, same doubles", async () => {
    const { X, y } = uniformData(400, 5, 7, (r) => (r[0] > 0.2 !== r[1] < 0 ? 1 : 0));
    for (let i = 0; i < 400; i += 5) X.data[i * 5 + (i % 5)] = NaN;
    const models = [await new RandomForest({ nEstimators: 6, seed: 2, nThreads: 1 }).fit(X, y), await new GradientBoostedTrees({ nEstimators: 15, seed: 2 }).fit(X, y)];
    for (const m of models) {
      const kind = m instanceof RandomForest ? "rf" : "gbt";
      const saved = savedForThread(m);
      const trees = saved.state.trees as Record<string, unknown>;
      assert.ok(trees.threshold instanceof Float64Array && trees.feature instanceof Int32Array, `${kind}: typed arrays`);
      assert.equal(savedTransferList(saved).length, 9, `${kind}: nine buffers to move`);
      const viaThread = modelFamily(kind).fromJSON(deserialize(serialize(saved)) as SavedModel);
      const viaText = modelFamily(kind).fromJSON(JSON.parse(JSON.stringify(m.toJSON())) as SavedModel);
      assert.equal(JSON.stringify(viaThread.toJSON()), JSON.stringify(viaText.toJSON()), kind);
      const a = viaThread.predictProba(X);
      const b = m.predictProba(X);
      for (let i = 0; i < b.length; i++) assert.ok(Object.is(a[i], b[i]), `${kind} row ${i}`);
    }
  });

  it("checks typed tree arrays like JSON ones (a feature out of range is damage) and keeps Infinity only for thresholds", async () => {
    const { X, y } = uniformData(200, 3, 3, (r) => (r[0] > 0 ? 1 : 0));
    const m = await new RandomForest({ nEstimators: 2, seed: 1, nThreads: 1 }).fit(X, y);
    const bad = savedForThread(m);
    (bad.state.trees as { feature: Int32Array }).feature[0] = 7;
    assert.throws(() => RandomForest.fromJSON(bad), /feature 7/);
    const inf = savedForThread(m);
    (inf.state.trees as { value: Float64Array }).value[0] = Infinity;
    assert.throws(() => RandomForest.fromJSON(inf), /value\[0\] is not a finite number/);
  });
});
