import { strict as assert } from "node:assert";
import { prCurves } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/prCurves", () => {
  it("draws step lines per model and the base-rate line", () => {
    const fig = prCurves([{ name: "rf", recall: [0, 0.5, 1], precision: [1, 0.6666666, 0.22], prAuc: 0.6 }], 0.2245);
    writeSnapshot("plots-pr-curves", fig);
    assert.equal(fig.data.length, 2);
    assert.equal(fig.data[0].name, "rf (PR-AUC 0.600)");
    assert.deepEqual(fig.data[1].y, [0.2245, 0.2245]);
    assert.equal((fig.layout.xaxis as { title: { text: string } }).title.text, "Recall");
  });

  it("has no base-rate line when none is given", () => {
    assert.equal(prCurves([{ name: "lr", recall: [0, 1], precision: [1, 0.2] }]).data.length, 1);
  });
});
