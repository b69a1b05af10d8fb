import * as assert from "node:assert/strict";
import { permutationImportance } from "../../lib/evaluation/permutationImportance";
import { createRng } from "../../lib/random";
import type { Classifier, Matrix } from "../../lib/models/types";

/** A fixed scorer that uses column 0 and the one-hot pair (1, 2) only; column 3 is ignored. */
const model: Classifier = {
  async fit() { return this; },
  predictProba(X: Matrix) {
    return Float64Array.from({ length: X.nRows }, (_, i) => 1 / (1 + Math.exp(-(2 * X.data[i * 4] + X.data[i * 4 + 1] - X.data[i * 4 + 2]))));
  },
  toJSON() { return { kind: "fixed", formatVersion: 1, params: {}, state: {} }; },
  getParams() { return {}; },
};

function data(n: number): { X: Matrix; y: number[] } {
  const rng = createRng(1);
  const rows = new Float64Array(n * 4);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 2 - 1;
    const cat = rng.next() < 0.5 ? 1 : 0;
    rows.set([a, cat, 1 - cat, rng.next()], i * 4);
    y.push(rng.next() < 1 / (1 + Math.exp(-(2 * a + (cat ? 1 : -1)))) ? 1 : 0);
  }
  return { X: { data: rows, nRows: n, nCols: 4, columns: ["a", "c=x", "c=y", "noise"] }, y };
}

describe("evaluation/permutationImportance", () => {
  it("finds the used features, gives an unused one exactly 0, and permutes one-hot columns together", async () => {
    const { X, y } = data(2000);
    const imp = permutationImportance(model, X, y, { featureOf: ["a", "c", "c", "noise"], nRepeats: 3, seed: 9 });
    const by = Object.fromEntries(imp.map((s) => [s.feature, s.mean]));
    assert.deepEqual(Object.keys(by), ["a", "c", "noise"]);
    assert.ok(by.a > by.c && by.c > 0.02, JSON.stringify(by));
    assert.equal(by.noise, 0);
    assert.deepEqual(Array.from(X.data.subarray(0, 4)), Array.from(data(2000).X.data.subarray(0, 4)), "input left untouched");
  });

  it("is reproducible with a seed", async () => {
    const { X, y } = data(500);
    const a = permutationImportance(model, X, y, { seed: 4 });
    const b = permutationImportance(model, X, y, { seed: 4 });
    assert.deepEqual(a, b);
  });
});
