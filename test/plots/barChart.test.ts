import { strict as assert } from "node:assert";
import { barChart } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/barChart", () => {
  it("swaps axes for horizontal bars and keeps error bars", () => {
    const fig = barChart({ title: "t", labels: ["a", "b"], series: [{ name: "s", values: [1, 2], errors: [0.1, 0.2] }], horizontal: true });
    writeSnapshot("plots-bar-chart", fig);
    assert.equal(fig.data[0].orientation, "h");
    assert.deepEqual(fig.data[0].y, ["a", "b"]);
    assert.deepEqual(fig.data[0].x, [1, 2]);
    assert.deepEqual((fig.data[0].error_x as { array: number[] }).array, [0.1, 0.2]);
    assert.equal(fig.layout.showlegend, false);
  });

  it("rejects a series with the wrong number of values", () => {
    assert.throws(() => barChart({ title: "t", labels: ["a", "b"], series: [{ name: "s", values: [1] }] }), /series s has 1 values for 2 labels/);
  });
});
