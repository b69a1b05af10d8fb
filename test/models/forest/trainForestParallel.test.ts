import { strict as assert } from "node:assert";
import { trainForestParallel } from "../../../lib/models/forest/trainForestParallel";
import { binMatrix, fitBinMapper } from "../../../lib/models/trees/binning";
import { growerData } from "../../../lib/models/trees/grower";
import { uniformData } from "../trees/helpers";

describe("models/forest/trainForestParallel", () => {
  const { X, y } = uniformData(300, 5, 1, (r) => (r[0] * r[1] > 0 ? 1 : 0));
  const m = fitBinMapper(X, 64);
  const data = {
    ...growerData(binMatrix(X, m), X.nRows, m),
    y: Uint8Array.from(y),
    w: new Float64Array(X.nRows).fill(1),
  };
  const params = { maxDepth: 0, minSamplesLeaf: 1, maxFeaturesPerNode: 2, bootstrap: true, seed: 5 };

  it("grows on worker threads exactly the trees the calling thread grows", () => {
    const here = trainForestParallel(data, params, 6, 1);
    assert.equal(here.grownByWorkers, 0);
    const workers = trainForestParallel(data, params, 6, 2, { callerGrows: false });
    assert.equal(workers.grownByWorkers, 6);
    assert.deepEqual(workers.trees, here.trees);
  });
});
