import { strict as assert } from "node:assert";
import { featureImportance } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/featureImportance", () => {
  const rows = [
    { feature: "thumbs_down", gain: 0.1, permutation: 0.05 },
    { feature: "days_since_last", gain: 0.4 },
    { feature: "songs", gain: 0.2, permutation: 0.01 },
  ];
  it("sorts by the chosen measure, largest first, and keeps the top n", () => {
    const fig = featureImportance(rows, "gain", 2);
    writeSnapshot("plots-feature-importance", fig);
    assert.deepEqual(fig.data[0].y, ["days_since_last", "songs"]);
    assert.deepEqual(fig.data[0].x, [0.4, 0.2]);
  });
  it("leaves out features without that measure", () => {
    assert.deepEqual(featureImportance(rows, "permutation").data[0].y, ["thumbs_down", "songs"]);
  });
});
