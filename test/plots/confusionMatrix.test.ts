import { strict as assert } from "node:assert";
import { confusionMatrix } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/confusionMatrix", () => {
  it("puts actual classes on rows and predicted ones on columns", () => {
    const fig = confusionMatrix({ tp: 30, fp: 10, tn: 150, fn: 12 });
    writeSnapshot("plots-confusion-matrix", fig);
    assert.equal(fig.data[0].type, "heatmap");
    assert.deepEqual(fig.data[0].z, [[150, 10], [12, 30]]);
    const texts = (fig.layout.annotations as Array<{ text: string }>).map((a) => a.text);
    assert.deepEqual(texts, ["TN<br>150", "FP<br>10", "FN<br>12", "TP<br>30"]);
  });
});
