import { strict as assert } from "node:assert";
import { calibrationPlot, wilsonInterval } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/calibrationPlot options", () => {
  const bins = [
    { meanPredicted: 0.03, fractionPositive: 0.02, count: 500 },
    { meanPredicted: 0.08, fractionPositive: 0.1, count: 30 },
    { meanPredicted: 0.14, fractionPositive: 0, count: 7 },
  ];

  it("zooms both axes to the probabilities present, draws Wilson intervals of the observed rates and dashes raw scores", () => {
    const fig = calibrationPlot([{ name: "calibrated", bins }, { name: "raw", bins: [{ meanPredicted: 0.12, fractionPositive: 0.05, count: 100 }], dashed: true }], "Zoomed", { range: "auto", countLabel: "rows" });
    writeSnapshot("plots-calibration-zoomed", fig);
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 0.2]);
    assert.deepEqual(fig.data[2].x, [0, 0.2], "the diagonal spans the zoomed range");
    assert.deepEqual(fig.data[0].text, ["500 rows", "30 rows", "7 rows"]);
    const err = fig.data[0].error_y as { array: number[]; arrayminus: number[] };
    const ci = wilsonInterval(3, 30);
    assert.ok(Math.abs(err.array[1] - (ci.high - 0.1)) < 1e-12);
    assert.ok(Math.abs(err.arrayminus[1] - (0.1 - ci.low)) < 1e-12);
    assert.equal(err.arrayminus[2], 0, "a rate of 0 has no room below");
    assert.equal((fig.data[1].line as { dash: string }).dash, "dash");
  });

  it("keeps [0, 1] by default and leaves intervals out on request", () => {
    const fig = calibrationPlot([{ name: "m", bins }], "Full", { intervals: false });
    assert.deepEqual((fig.layout.xaxis as { range: number[] }).range, [0, 1]);
    assert.equal(fig.data[0].error_y, undefined);
  });
});
