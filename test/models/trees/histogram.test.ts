import { strict as assert } from "node:assert";
import { allocHistogram, buildHistogram, buildHistogramNaive, subtractHistogram, type BinnedData } from "../../../lib/models/trees/histogram";
import { createRng } from "../../../lib/random";
import { TREE_STREAM } from "../../../lib/models/trees/seeds";

function randomBinned(nRows: number, nFeatures: number, maxBins: number, seed: number): { data: BinnedData; g: Float64Array; h: Float64Array } {
  const rng = createRng(seed, TREE_STREAM);
  const nBins = Int32Array.from({ length: nFeatures }, (_, f) => 1 + (f * 7) % maxBins);
  const codes = new Uint8Array(nRows * nFeatures);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < nFeatures; f++) codes[i * nFeatures + f] = rng.next() < 0.1 ? maxBins : rng.nextInt(nBins[f]);
  }
  const g = Float64Array.from({ length: nRows }, () => rng.next() - 0.5);
  const h = Float64Array.from({ length: nRows }, () => rng.next());
  return { data: { codes, nRows, nFeatures, stride: maxBins + 1, nBins }, g, h };
}

function assertClose(a: Float64Array, b: Float64Array, tol = 1e-9): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `slot ${i}: ${a[i]} vs ${b[i]}`);
}

describe("models/trees/histogram", () => {
  const { data, g, h } = randomBinned(500, 6, 20, 1);
  const all = Int32Array.from([0, 1, 2, 3, 4, 5]);

  it("matches the naive reference for all features on a subset of rows", () => {
    const rows = Uint32Array.from({ length: 300 }, (_, k) => (k * 7) % 500).sort();
    const fast = allocHistogram(data).fill(123); // stale contents must be overwritten
    buildHistogram(fast, data, all, 6, { rows, start: 40, end: 260 }, g, h);
    const naive = buildHistogramNaive(data, all, { rows, start: 40, end: 260 }, g, h);
    // Compare only the slots that can be used: bins below nBins and the missing bin.
    for (let f = 0; f < 6; f++) {
      for (const b of [...Array.from({ length: data.nBins[f] }, (_, k) => k), 20]) {
        for (let s = 0; s < 3; s++) {
          const at = (f * 21 + b) * 3 + s;
          assert.ok(Math.abs(fast[at] - naive[at]) < 1e-12, `f${f} bin ${b} slot ${s}`);
        }
      }
    }
  });

  it("matches the naive reference for a feature subset and leaves other features untouched", () => {
    const rows = Uint32Array.from({ length: 500 }, (_, i) => i);
    const feats = Int32Array.from([4, 1]);
    const fast = allocHistogram(data);
    buildHistogram(fast, data, feats, 2, { rows, start: 0, end: 500 }, g, h);
    const naive = buildHistogramNaive(data, [4, 1], { rows, start: 0, end: 500 }, g, h);
    assertClose(fast, naive, 1e-12);
    let counted = 0;
    for (let b = 0; b < 21; b++) counted += fast[(4 * 21 + b) * 3 + 2];
    assert.equal(counted, 500);
  });

  it("gets a sibling's histogram by subtracting the other child from the parent", () => {
    const rows = Uint32Array.from({ length: 500 }, (_, i) => i);
    const parent = allocHistogram(data);
    buildHistogram(parent, data, all, 6, { rows, start: 0, end: 500 }, g, h);
    const left = allocHistogram(data);
    buildHistogram(left, data, all, 6, { rows, start: 0, end: 180 }, g, h);
    const right = allocHistogram(data);
    subtractHistogram(right, parent, left, data, all, 6);
    assertClose(right, buildHistogramNaive(data, all, { rows, start: 180, end: 500 }, g, h), 1e-9);
  });
});
