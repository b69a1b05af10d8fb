import * as assert from "node:assert/strict";
import { SparkifyError } from "../../../lib/errors";
import { FeatureEncoder, MISSING, OTHER, type FeatureSpec } from "../../../lib/models/encoding";

const dictionary: FeatureSpec[] = [
  { name: "userId", type: "categorical" },
  { name: "songs", type: "numeric" },
  { name: "paid", type: "binary" },
  { name: "device", type: "categorical" },
  { name: "churn", type: "binary" },
];
const rows = [
  { userId: "1", songs: 10, paid: 1, device: "Windows", churn: 0 },
  { userId: "2", songs: null, paid: 0, device: "Mac", churn: 1 },
  { userId: "3", songs: 3.5, paid: 1, device: "Windows", churn: 0 },
  { userId: "4", songs: 7, paid: 0, device: "iPhone", churn: 0 },
  { userId: "5", songs: 1, paid: 1, device: null, churn: 1 },
  { userId: "6", songs: 2, paid: 0, device: "Mac", churn: 0 },
];

describe("models/encoding/FeatureEncoder", () => {
  it("keeps numbers, maps null to NaN, one-hots the top-K categories plus (other), skips ids and label", async () => {
    const enc = await new FeatureEncoder({ maxCategories: 2 }).fit(rows, dictionary);
    assert.deepEqual(enc.columnNames, ["songs", "paid", "device=Mac", "device=Windows", `device=${OTHER}`]);
    const X = enc.transform(rows);
    assert.equal(X.nRows, 6);
    assert.equal(X.data[0], 10);
    assert.ok(Number.isNaN(X.data[5]));
    const row = (i: number): number[] => Array.from(X.data.subarray(i * 5 + 2, i * 5 + 5));
    assert.deepEqual(row(0), [0, 1, 0]);
    assert.deepEqual(row(1), [1, 0, 0]);
    assert.deepEqual(row(3), [0, 0, 1]); // iPhone is not in the top 2
    assert.deepEqual(row(4), [0, 0, 1]); // null is its own (missing) level, here outside the top 2
    assert.deepEqual(enc.sourceFeatures(), ["songs", "paid", "device", "device", "device"]);
  });

  it("sends a category never seen at fit to (other) instead of failing", async () => {
    const enc = await new FeatureEncoder().fit(rows, dictionary);
    assert.ok(enc.columnNames.includes(`device=${MISSING}`));
    const X = enc.transform([{ userId: "9", songs: 1, paid: 1, device: "Linux", churn: 0 }]);
    const other = enc.columnNames.indexOf(`device=${OTHER}`);
    assert.equal(X.data[other], 1);
    assert.equal(Array.from(X.data).reduce((a, v) => a + v, 0), 1 + 1 + 1);
  });

  it("names row and column of a non-numeric value in a numeric column", async () => {
    const enc = await new FeatureEncoder().fit(rows, dictionary);
    assert.throws(() => enc.transform([{ songs: "many", paid: 1, device: "Mac" }]), (e: unknown) => e instanceof SparkifyError && /row 0, column "songs": "many"/.test(e.message));
  });

  it("round-trips through JSON and encodes identically", async () => {
    const enc = await new FeatureEncoder({ maxCategories: 2 }).fit(rows, dictionary);
    const back = FeatureEncoder.fromJSON(JSON.parse(JSON.stringify(enc.toJSON())));
    assert.deepEqual(back.columnNames, enc.columnNames);
    assert.deepEqual(Array.from(back.transform(rows).data), Array.from(enc.transform(rows).data));
    assert.throws(() => FeatureEncoder.fromJSON({ ...enc.toJSON(), formatVersion: 2 }), /format version 2/);
  });

  it("requires fit before transform", async () => {
    assert.throws(() => new FeatureEncoder().transform(rows), /not fitted/);
  });
});
