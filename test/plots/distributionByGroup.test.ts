import { strict as assert } from "node:assert";
import { distributionByGroup } from "../../lib/plots";
import { seededRandom, writeSnapshot } from "./snapshot";

describe("plots/distributionByGroup", () => {
  const rnd = seededRandom(7);
  const groups = [
    { name: "churners", values: Array.from({ length: 20 }, () => rnd() * 100) },
    { name: "others", values: [0, 5, NaN, 20] },
  ];
  it("overlays normalised histograms, dropping non-finite values and non-positive ones on log axes", () => {
    const fig = distributionByGroup(groups, { title: "Session length", valueTitle: "minutes", log: true, bins: 30 });
    writeSnapshot("plots-distribution-histogram", fig);
    assert.equal(fig.data[0].type, "histogram");
    assert.equal((fig.data[0].x as number[]).length, 20);
    assert.deepEqual(fig.data[1].x, [5, 20]);
    assert.equal(fig.layout.barmode, "overlay");
  });
  it("draws boxes on request", () => {
    const fig = distributionByGroup(groups, { title: "t", valueTitle: "v", kind: "box" });
    writeSnapshot("plots-distribution-box", fig);
    assert.deepEqual(fig.data.map((t) => t.type), ["box", "box"]);
    assert.deepEqual(fig.data[1].y, [0, 5, 20]);
  });
});
