import { strict as assert } from "node:assert";
import { createRng, mixSeed, mulberry32, partialShuffle, shuffleInPlace } from "../../lib/random";

describe("random", () => {
  it("repeats a sequence for a seed and differs between seeds", () => {
    const seq = (s: number, stream?: number) => Array.from({ length: 5 }, createRng(s, stream).next);
    const a = createRng(1);
    const first = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(first, seq(1));
    assert.notDeepEqual(seq(1), seq(2));
    assert.notDeepEqual(seq(1), seq(1, 0));
    assert.deepEqual(seq(1, 7), seq(1, 7));
    for (const v of first) assert.ok(v >= 0 && v < 1);
  });

  it("keeps the streams every seeded result was computed with", () => {
    // The main stream is mulberry32 of seed ^ 0x9e3779b9 (folds, permutation importance); a numbered stream is
    // mulberry32 of mixSeed(seed, stream) (the tree models). Changing either changes every metric.
    assert.deepEqual(Array.from({ length: 3 }, createRng(42).next), Array.from({ length: 3 }, mulberry32((42 ^ 0x9e3779b9) >>> 0)));
    assert.deepEqual(Array.from({ length: 3 }, createRng(42, 5).next), Array.from({ length: 3 }, mulberry32(mixSeed(42, 5))));
    assert.equal(mixSeed(0, 0), 993237555);
    assert.equal(mixSeed(1, 2), 170432610);
  });

  it("gives integers in range, roughly uniform", () => {
    const r = createRng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[r.nextInt(4)]++;
    for (const c of counts) assert.ok(c > 850 && c < 1150, `${counts}`);
  });

  it("derives distinct per-tree seeds", () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, k) => mixSeed(0, k)));
    assert.equal(seeds.size, 1000);
    assert.notEqual(mixSeed(1, 0), mixSeed(0, 1));
  });

  it("shuffles into a permutation, whole or the first k places", () => {
    const ids = Array.from({ length: 20 }, (_, i) => i);
    const v = Int32Array.from(ids);
    partialShuffle(v, 20, createRng(4));
    assert.deepEqual(Array.from(v).sort((a, b) => a - b), ids);
    assert.notDeepEqual(Array.from(v), ids);
    const w = shuffleInPlace(ids.slice(), createRng(4));
    assert.deepEqual(w.slice().sort((a, b) => a - b), ids);
    assert.notDeepEqual(w, ids);
  });
});
