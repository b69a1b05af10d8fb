import { strict as assert } from "node:assert";
import { findBestSplit } from "../../../lib/models/trees/split";

/** A one-feature histogram with 4 value bins and the missing bin at index 4 (stride 5). */
function hist(bins: Array<[number, number, number]>, missing: [number, number, number]): Float64Array {
  const out = new Float64Array(5 * 3);
  bins.forEach(([g, h, c], b) => out.set([g, h, c], b * 3));
  out.set(missing, 4 * 3);
  return out;
}
function sums(hh: Float64Array): { g: number; h: number; c: number } {
  let g = 0;
  let h = 0;
  let c = 0;
  for (let i = 0; i < hh.length; i += 3) {
    g += hh[i];
    h += hh[i + 1];
    c += hh[i + 2];
  }
  return { g, h, c };
}
const feats = Int32Array.from([0]);
const nBins = Int32Array.from([4]);
const params = { l2: 0, minSamplesLeaf: 1, minChildWeight: 0 };

describe("models/trees/split", () => {
  it("splits where the gradient sign changes, with the known gain", () => {
    const hh = hist([[4, 4, 4], [4, 4, 4], [-4, 4, 4], [-4, 4, 4]], [0, 0, 0]);
    const s = findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), params)!;
    assert.equal(s.bin, 1);
    assert.equal(s.gain, 64 / 8 + 64 / 8 - 0);
    assert.deepEqual([s.gL, s.hL, s.cL, s.gR, s.hR, s.cR], [8, 8, 8, -8, 8, 8]);
  });

  it("sends missing values to the side whose gradients they resemble", () => {
    const hh = hist([[4, 4, 4], [4, 4, 4], [-4, 4, 4], [-4, 4, 4]], [6, 3, 3]);
    const s = findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), params)!;
    assert.equal(s.bin, 1);
    assert.equal(s.missingLeft, true);
    const hr = hist([[4, 4, 4], [4, 4, 4], [-4, 4, 4], [-4, 4, 4]], [-6, 3, 3]);
    assert.equal(findBestSplit(hr, 5, 4, nBins, feats, 1, sums(hr), params)!.missingLeft, false);
  });

  it("can split missing from non-missing when all values share one bin", () => {
    const hh = hist([[5, 5, 5], [0, 0, 0], [0, 0, 0], [0, 0, 0]], [-5, 5, 5]);
    const s = findBestSplit(hh, 5, 4, Int32Array.from([1]), feats, 1, sums(hh), params)!;
    assert.equal(s.bin, 0);
    assert.equal(s.missingLeft, false);
    assert.deepEqual([s.cL, s.cR], [5, 5]);
  });

  it("respects minSamplesLeaf and minChildWeight, and returns null without a gain", () => {
    const hh = hist([[4, 1, 1], [0, 1, 10], [0, 1, 10], [0, 1, 10]], [0, 0, 0]);
    const free = findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), params)!;
    assert.equal(free.bin, 0);
    const s = findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), { ...params, minSamplesLeaf: 5 })!;
    assert.ok(s.cL >= 5 && s.cR >= 5);
    assert.equal(s.bin, 1);
    assert.equal(findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), { ...params, minChildWeight: 100 }), null);
    const flat = hist([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]], [0, 0, 0]);
    assert.equal(findBestSplit(flat, 5, 4, nBins, feats, 1, sums(flat), params), null);
  });

  it("shrinks the gain with L2", () => {
    const hh = hist([[4, 4, 4], [4, 4, 4], [-4, 4, 4], [-4, 4, 4]], [0, 0, 0]);
    const s = findBestSplit(hh, 5, 4, nBins, feats, 1, sums(hh), { ...params, l2: 2 })!;
    assert.ok(Math.abs(s.gain - (64 / 10 + 64 / 10)) < 1e-12);
  });
});
