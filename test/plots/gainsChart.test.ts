import { strict as assert } from "node:assert";
import { gainsChart, liftChart } from "../../lib/plots";
import type { GainsPoint } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

/** A gains curve of 10 points from captured shares. */
function curve(captured: number[]): GainsPoint[] {
  return captured.map((c, i) => ({ share: (i + 1) / 10, captured: c, lift: c / ((i + 1) / 10) }));
}

const MODEL = curve([0.3, 0.5, 0.62, 0.72, 0.8, 0.86, 0.91, 0.95, 0.98, 1]);
const BASE = curve([0.12, 0.22, 0.33, 0.41, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);

describe("plots/gainsChart and liftChart", () => {
  it("draws cumulative gains from the origin, with random contact, a perfect ranking at the base rate and 10%/20% guides", () => {
    const fig = gainsChart([{ name: "gbt", points: [...MODEL].reverse() }, { name: "recency", points: BASE, dashed: true }], 0.05);
    writeSnapshot("plots-gains", fig);
    assert.deepEqual(fig.data.map((t) => t.name), ["gbt", "recency", "random contact", "perfect ranking"]);
    // Sorted by share whatever the input order, and starting at (0, 0).
    assert.deepEqual((fig.data[0].x as number[]).slice(0, 3), [0, 0.1, 0.2]);
    assert.deepEqual((fig.data[0].y as number[]).slice(0, 3), [0, 0.3, 0.5]);
    assert.equal((fig.data[1].line as { dash: string }).dash, "dash");
    assert.deepEqual(fig.data[3].x, [0, 0.05, 1]);
    assert.deepEqual(fig.data[3].y, [0, 1, 1]);
    assert.deepEqual((fig.layout.shapes as Array<{ x0: number }>).map((s) => s.x0), [0.1, 0.2]);
    assert.equal((fig.layout.xaxis as { tickformat: string }).tickformat, ".0%");
  });

  it("leaves the perfect line out without a base rate, and drops points outside (0, 1]", () => {
    const fig = gainsChart([{ name: "lr", points: [{ share: 0, captured: 0, lift: NaN }, ...MODEL, { share: 1.5, captured: 1, lift: 1 }] }]);
    assert.deepEqual(fig.data.map((t) => t.name), ["lr", "random contact"]);
    assert.equal((fig.data[0].x as number[]).length, 11);
  });

  it("draws lift against the share contacted, with lift 1 as random and the y axis holding the largest lift", () => {
    const fig = liftChart([{ name: "gbt", points: MODEL }]);
    writeSnapshot("plots-lift", fig);
    assert.deepEqual(fig.data.map((t) => t.name), ["gbt", "random contact (lift 1)"]);
    assert.equal((fig.data[0].x as number[])[0], 0.1, "no point at share 0, where lift is undefined");
    assert.ok(Math.abs((fig.data[0].y as number[])[0] - 3) < 1e-12);
    assert.deepEqual(fig.data[1].y, [1, 1]);
    const range = (fig.layout.yaxis as { range: number[] }).range;
    assert.ok(range[0] === 0 && range[1] >= 3.3, `y range ${range}`);
  });
});
