import * as assert from "node:assert/strict";

/**
 * Asserts two lists of rows are equal, numbers within a relative 1e-12 (a DOUBLE sum depends on
 * the order the engine adds in), everything else exactly.
 */
export function assertRowsClose(actual: Array<Record<string, unknown>>, expected: Array<Record<string, unknown>>, what = "rows"): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  actual.forEach((row, i) => {
    assert.deepEqual(Object.keys(row), Object.keys(expected[i]), `${what}: columns of row ${i + 1}`);
    for (const [k, a] of Object.entries(row)) {
      const e = expected[i][k];
      if (typeof a === "number" && typeof e === "number") {
        assert.ok(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${what}: row ${i + 1} (user ${String(row.userId)}) ${k}: ${a} vs ${e}`);
      } else {
        assert.equal(a, e, `${what}: row ${i + 1} (user ${String(row.userId)}) ${k}`);
      }
    }
  });
}
