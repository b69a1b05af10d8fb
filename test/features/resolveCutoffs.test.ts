import * as assert from "node:assert/strict";
import { SparkifyError } from "../../lib/errors";
import { defaultCutoff, resolveCutoffs, resolveFeatureOptions } from "../../lib/features";
import { AFTER_T, BEFORE_T, at } from "./fixtures";
import { openEvents } from "./openEvents";

const RANGE = { minTs: at("2018-10-01T00:00:07"), maxTs: at("2018-12-03T01:11:59") };

describe("features/resolveCutoffs", () => {
  it("defaults: forward, cancel, 14 days, cutoff at the UTC midnight that keeps [T, T+H) inside the data", () => {
    const r = resolveFeatureOptions(RANGE);
    assert.deepEqual(r, { mode: "forward", cutoffs: [at("2018-11-19T00:00:00")], horizonDays: 14, label: "cancel" });
    assert.ok(r.cutoffs[0] + 14 * 86_400_000 <= RANGE.maxTs + 1);
    // Last event exactly at midnight: the window may end right after it.
    assert.equal(defaultCutoff({ minTs: 0, maxTs: at("2018-12-01T00:00:00") - 1 }, 14), at("2018-11-17T00:00:00"));
    assert.equal(resolveFeatureOptions(RANGE, { horizonDays: 7 }).cutoffs[0], at("2018-11-26T00:00:00"));
  });

  it("given cutoffs are merged, de-duplicated and sorted", () => {
    const a = at("2018-10-20T00:00:00");
    const b = at("2018-11-03T00:00:00");
    assert.deepEqual(resolveFeatureOptions(RANGE, { cutoff: b, cutoffs: [a, b] }).cutoffs, [a, b]);
  });

  it("full-history has no cutoff and refuses one", () => {
    assert.deepEqual(resolveFeatureOptions(RANGE, { mode: "full-history" }).cutoffs, []);
    assert.throws(() => resolveFeatureOptions(RANGE, { mode: "full-history", cutoff: 1 }), /forward mode only/);
  });

  it("bad options are clear SparkifyErrors", () => {
    const bad: Array<[object, RegExp]> = [
      [{ mode: "sideways" }, /mode must be one of forward, full-history/],
      [{ label: "upgrade" }, /label must be one of cancel, cancel-or-downgrade/],
      [{ horizonDays: 0 }, /horizonDays must be a positive/],
      [{ horizonDays: Number.NaN }, /horizonDays must be a positive/],
      [{ cutoff: 1.5 }, /whole number of epoch milliseconds/],
      [{ horizonDays: 70 }, /spans only 63.0 days, not more than the 70-day horizon/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => resolveFeatureOptions(RANGE, options), (e: unknown) => e instanceof SparkifyError && message.test(e.message), JSON.stringify(options));
    }
    assert.throws(() => resolveFeatureOptions({ minTs: null, maxTs: null }), /events table is empty/);
  });

  it("reads the time range from a store", async () => {
    const store = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      // Last event 2018-10-28T10:00:01; minus 14 days → 2018-10-14T10:00:01 → midnight.
      assert.deepEqual((await resolveCutoffs(store)).cutoffs, [at("2018-10-14T00:00:00")]);
      assert.deepEqual((await resolveCutoffs({ minTs: 0, maxTs: at("2018-10-28T10:00:01") })).cutoffs, [at("2018-10-14T00:00:00")]);
    } finally {
      await store.close();
    }
  });
});
