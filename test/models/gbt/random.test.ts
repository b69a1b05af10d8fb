import { strict as assert } from "node:assert";
import { createRng, mixSeed, partialShuffle } from "../../../lib/models/gbt/random";

describe("models/gbt/random", () => {
  it("repeats a sequence for a seed and differs between seeds", () => {
    const seq = (s: number) => Array.from({ length: 5 }, createRng(s).next);
    const a = createRng(1);
    const first = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(first, Array.from({ length: 5 }, (() => { const r = createRng(1); return () => r.next(); })()));
    assert.notDeepEqual(seq(1), seq(2));
    for (const v of first) assert.ok(v >= 0 && v < 1);
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

  it("shuffles into a permutation", () => {
    const v = Int32Array.from({ length: 20 }, (_, i) => i);
    partialShuffle(v, 20, createRng(4));
    assert.deepEqual(Array.from(v).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
    assert.notDeepEqual(Array.from(v), Array.from({ length: 20 }, (_, i) => i));
  });
});
