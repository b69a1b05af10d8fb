import { strict as assert } from "node:assert";
import { mergeSmallGroups } from "../../lib/eda";

const row = (category: string, users: number, churners: number) => ({ category, users, churners, churnRate: churners / users });

describe("eda/mergeSmallGroups", () => {
  it("merges the categories under the minimum into one 'other' row, last, with pooled counts", () => {
    const { rows, merged } = mergeSmallGroups([row("NY", 3, 2), row("CA", 40, 8), row("TX", 25, 5), row("RI", 5, 0), row("NE", 1, 1)], 10, "states");
    assert.equal(merged, 3);
    assert.deepEqual(rows.map((r) => r.category), ["CA", "TX", "other (3 states)"]);
    assert.deepEqual(rows[2], { category: "other (3 states)", users: 9, churners: 3, churnRate: 3 / 9 });
  });

  it("keeps a lone small category, and every category when all are small", () => {
    assert.deepEqual(mergeSmallGroups([row("a", 50, 5), row("b", 4, 1)], 10).rows.map((r) => r.category), ["a", "b"]);
    const tiny = mergeSmallGroups([row("a", 2, 1), row("b", 3, 1)], 10);
    assert.equal(tiny.merged, 0);
    assert.equal(tiny.rows.length, 2);
    assert.throws(() => mergeSmallGroups([], 0), /at least 1/);
  });
});
