import { strict as assert } from "node:assert";
import { wilsonInterval } from "../../lib/plots";

const close = (a: number, b: number, tol = 5e-4) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("plots/wilsonInterval", () => {
  it("matches published 95% Wilson intervals (Newcombe 1998, Table I) and stays inside [0, 1]", () => {
    // Newcombe's examples: 81/263 → 0.2553–0.3662; 15/148 → 0.0624–0.1605; 0/20 → 0–0.1611; 1/29 → 0.0061–0.1718.
    for (const [k, n, lo, hi] of [[81, 263, 0.2553, 0.3662], [15, 148, 0.0624, 0.1605], [0, 20, 0, 0.1611], [1, 29, 0.0061, 0.1718]]) {
      const ci = wilsonInterval(k, n);
      close(ci.low, lo);
      close(ci.high, hi);
    }
    const small = wilsonInterval(2, 3);
    close(small.low, 0.2077);
    close(small.high, 0.9385);
    const all = wilsonInterval(5, 5);
    assert.ok(all.high <= 1 && all.low > 0.5);
  });

  it("narrows as the group grows, and is [0, 1] for an empty group", () => {
    const a = wilsonInterval(3, 10);
    const b = wilsonInterval(300, 1000);
    assert.ok(b.high - b.low < (a.high - a.low) / 5);
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
    assert.throws(() => wilsonInterval(4, 3), /4 successes out of 3/);
  });
});
