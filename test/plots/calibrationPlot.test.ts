import { strict as assert } from "node:assert";
import { calibrationPlot } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/calibrationPlot", () => {
  it("plots observed against predicted per bin, skipping empty bins", () => {
    const fig = calibrationPlot([
      { name: "gbt", bins: [ { meanPredicted: 0.05, fractionPositive: 0.04, count: 100 }, { meanPredicted: 0.5, fractionPositive: 0, count: 0 }, { meanPredicted: 0.81, fractionPositive: 0.7777, count: 9 } ] },
    ]);
    writeSnapshot("plots-calibration", fig);
    assert.deepEqual(fig.data[0].x, [0.05, 0.81]);
    assert.deepEqual(fig.data[0].y, [0.04, 0.7777]);
    assert.deepEqual(fig.data[0].text, ["100 users", "9 users"]);
    assert.equal(fig.data[1].name, "perfect");
  });
});
