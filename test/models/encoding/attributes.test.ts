import * as assert from "node:assert/strict";
import { SparkifyError } from "../../../lib/errors";
import { FeatureEncoder, excludedAttributes } from "../../../lib/models/encoding";

describe("models/encoding attributes", () => {
  it("leaves gender and state out by default; include opts in; an unknown name is a clear error", async () => {
    assert.deepEqual(excludedAttributes(), ["gender", "state"]);
    assert.deepEqual(excludedAttributes(["gender"]), ["state"]);
    assert.deepEqual(excludedAttributes(["gender", "state"]), []);
    assert.throws(() => excludedAttributes(["level"]), (e: unknown) => e instanceof SparkifyError && /--include level/.test(e.message));
  });

  it("an encoder given the exclusions has no gender or state column, and keeps them out after a JSON round trip", async () => {
    const rows = [
      { userId: "a", gender: "F", state: "NY", level: "paid", n_songs: 3, churn: 0 },
      { userId: "b", gender: "M", state: "CA", level: "free", n_songs: 9, churn: 1 },
    ];
    const dictionary = [
      { name: "gender", type: "categorical" as const }, { name: "state", type: "categorical" as const },
      { name: "level", type: "categorical" as const }, { name: "n_songs", type: "numeric" as const },
    ];
    const enc = await new FeatureEncoder({ exclude: ["userId", "cutoff", "churn", ...excludedAttributes()] }).fit(rows, dictionary);
    assert.deepEqual(enc.featureNames(), ["level", "n_songs"]);
    const back = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    assert.deepEqual(back.transform(rows).columns, enc.transform(rows).columns);
    assert.ok(!back.transform(rows).columns.some((c) => c.startsWith("gender") || c.startsWith("state")));
  });
});
