import { strict as assert } from "node:assert";
import { COLORS, coefficients } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/coefficients", () => {
  it("orders by absolute size and colours by sign", () => {
    const fig = coefficients([{ feature: "a", coef: 0.2 }, { feature: "b", coef: -1.5 }, { feature: "c", coef: 0.9 }]);
    writeSnapshot("plots-coefficients", fig);
    assert.deepEqual(fig.data[0].y, ["b", "c", "a"]);
    assert.deepEqual((fig.data[0].marker as { color: string[] }).color, [COLORS.others, COLORS.churners, COLORS.churners]);
  });
});
