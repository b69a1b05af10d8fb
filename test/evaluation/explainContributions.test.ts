import * as assert from "node:assert/strict";
import { explainContributions, sumByFeature } from "../../lib/evaluation/explainContributions";

describe("evaluation/explainContributions", () => {
  it("sums one-hot columns back to their feature, ranks by |contribution| and keeps the raw value", () => {
    const featureOf = ["songs", "device", "device", "paid"];
    const rows = [{ songs: 3, device: "Mac", paid: 1 }, { songs: null, device: "Linux", paid: 0 }];
    // per row: 4 columns then the bias
    const contrib = Float64Array.from([0.5, -0.2, -0.7, 0.1, 9, 0, 0.3, 0.4, -0.05, 9]);
    const r = explainContributions(contrib, featureOf, rows, 2);
    assert.deepEqual(r[0], [{ feature: "device", contribution: -0.8999999999999999, value: "Mac" }, { feature: "songs", contribution: 0.5, value: 3 }]);
    assert.deepEqual(r[1].map((x) => x.feature), ["device", "paid"]); // a zero contribution (songs) is never a reason
    assert.equal(r[1][0].contribution, 0.7);
  });

  it("sumByFeature adds column scores per feature", () => {
    assert.deepEqual(sumByFeature([1, 2, 3], ["a", "b", "b"]), [{ feature: "a", mean: 1 }, { feature: "b", mean: 5 }]);
  });
});
