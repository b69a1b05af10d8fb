import { strict as assert } from "node:assert";
import { churnRateBar } from "../../lib/plots";
import { writeSnapshot } from "./snapshot";

describe("plots/churnRateBar", () => {
  it("shows the largest categories with their rates and the overall rate in the title", () => {
    const fig = churnRateBar([
      { category: "F", users: 10, churners: 2, churnRate: 0.2 },
      { category: "M", users: 30, churners: 9, churnRate: 0.3 },
      { category: "unknown", users: 1, churners: 0, churnRate: 0 },
    ], "gender", 2);
    writeSnapshot("plots-churn-rate-bar", fig);
    assert.deepEqual(fig.data[0].x, ["M", "F"]);
    assert.deepEqual(fig.data[0].y, [0.3, 0.2]);
    assert.deepEqual(fig.data[0].text, ["9/30", "2/10"]);
    assert.match((fig.layout.title as { text: string }).text, /overall 26\.8%/);
  });
});
