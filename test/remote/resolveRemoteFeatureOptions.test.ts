import { strict as assert } from "node:assert";
import { resolveRemoteFeatureOptions } from "../../lib/remote/resolveRemoteFeatureOptions";

describe("remote/resolveRemoteFeatureOptions", () => {
  it("fills the same defaults as the DuckDB path when cutoffs are given", () => {
    const c = Date.UTC(2018, 10, 15);
    assert.deepEqual(resolveRemoteFeatureOptions({ cutoffs: [c + 1, c] }), { mode: "forward", cutoffs: [c, c + 1], horizonDays: 14, label: "cancel" });
    assert.deepEqual(resolveRemoteFeatureOptions({ mode: "full-history", label: "cancel-or-downgrade" }), { mode: "full-history", cutoffs: [], horizonDays: 14, label: "cancel-or-downgrade" });
  });

  it("asks for a cutoff in forward mode instead of reading the data's time range", () => {
    assert.throws(() => resolveRemoteFeatureOptions({ mode: "forward" }), /needs explicit cutoffs: pass --cutoff/);
    assert.throws(() => resolveRemoteFeatureOptions({}), /--cutoff/);
  });
});
