import { strict as assert } from "node:assert";
import { Rng, buildCatalogue, cumulativeWeights, deriveSeed, drawProfile, resolvePlan, songFragment } from "../../lib/simulate";

describe("rng, catalogue, people, presets", () => {
  it("repeats a stream for a seed and differs between seeds and derived streams", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    assert.deepEqual(Array.from({ length: 100 }, () => b.next()), xs);
    assert.notDeepEqual(Array.from({ length: 100 }, () => c.next()), xs);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notEqual(deriveSeed(1, 2), deriveSeed(2, 1));
    assert.notEqual(deriveSeed(1, 2 ** 32 + 5), deriveSeed(1, 5));
  });

  it("draws exponential and weighted values with the right means", () => {
    const r = new Rng(7);
    let s = 0;
    for (let i = 0; i < 20000; i++) s += r.exponential(90);
    assert.ok(Math.abs(s / 20000 - 90) < 3, `mean ${s / 20000}`);
    const cum = cumulativeWeights([1, 0, 3]);
    const n = [0, 0, 0];
    for (let i = 0; i < 8000; i++) n[r.pickCumulative(cum)]++;
    assert.equal(n[1], 0);
    assert.ok(Math.abs(n[2] / 8000 - 0.75) < 0.02);
  });

  it("builds the same catalogue from a seed: ~4-minute songs, Zipf-like popularity", () => {
    const a = buildCatalogue(1, 5000);
    const b = buildCatalogue(1, 5000);
    assert.ok(Buffer.from(a.songBytes).equals(Buffer.from(b.songBytes)));
    const lengths = Array.from(a.length).sort((x, y) => x - y);
    const median = lengths[lengths.length >> 1];
    assert.ok(median > 200 && median < 270, `median ${median}`);
    const total = a.cumulative[a.cumulative.length - 1];
    assert.ok(a.cumulative[0] / total > 10 * (1 / 5000), "the top song is not a hit");
    for (let i = 0; i < 50; i++) {
      const j = songFragment(a, i);
      const o = JSON.parse(`{${j.slice(1, -1)}}`);
      assert.equal(typeof o.artist, "string");
      assert.equal(typeof o.song, "string");
    }
  });

  it("draws US listener profiles", () => {
    const r = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const p = drawProfile(r);
      assert.match(p.location, /^[^,]+, [A-Z]{2}(-[A-Z]{2})*$/);
      assert.ok(p.firstName && p.lastName && p.userAgent.startsWith(p.userAgent.includes(",") ? '"Mozilla' : "Mozilla"));
    }
  });

  it("resolves presets, ISO dates and overrides into a plan", () => {
    const p = resolvePlan({ preset: "full" });
    assert.equal(new Date(p.startSec * 1000).toISOString(), "2018-10-01T00:00:00.000Z");
    assert.ok(p.users > 20000 && p.guests > 0);
    const q = resolvePlan({ preset: "mini", users: 10, start: "2018-11-01", end: Date.parse("2018-11-08T00:00:00Z") });
    assert.equal(q.users, 10);
    assert.equal(q.endSec - q.startSec, 7 * 86400);
  });
});
