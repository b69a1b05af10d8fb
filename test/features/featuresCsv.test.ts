import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computeFeatures, featureTableToDataFrame, features, readFeaturesCsv, writeFeaturesCsv, type FeatureTable } from "../../lib/features";
import { SparkifyError } from "../../lib/errors";
import { AFTER_T, BEFORE_T, T } from "./fixtures";
import { openEvents } from "./openEvents";
import { randomEvents } from "./randomEvents";

describe("features/featuresCsv and the DataFrame", () => {
  let dir: string;
  let forward: FeatureTable;
  let full: FeatureTable;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-features-csv-"));
    const store = await openEvents(randomEvents(5, 30));
    try {
      forward = await computeFeatures(store, { cutoffs: [Date.UTC(2018, 9, 20), Date.UTC(2018, 10, 3)], horizonDays: 10, label: "cancel-or-downgrade" });
      full = await computeFeatures(store, { mode: "full-history" });
    } finally {
      await store.close();
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes userId, cutoff as ISO time, the features, churn; nulls as empty fields", async () => {
    const file = path.join(dir, "forward.csv");
    await writeFeaturesCsv(forward, file);
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    assert.equal(lines[0], forward.columns.join(","));
    assert.match(lines[0], /^userId,cutoff,n_events,.*,churn$/);
    assert.equal(lines.length, forward.rows.length + 1);
    assert.match(lines[1], /^\d+,2018-10-20T00:00:00\.000Z,\d+,/);
    assert.match(lines[1], /,[01]$/);
    assert.ok(lines.some((l) => l.includes(",,")), "some missing values are empty fields");
    assert.doesNotMatch(fs.readFileSync(file, "utf8"), /NaN|null|undefined/);
  });

  for (const which of ["forward", "full-history"] as const) {
    it(`round-trips a ${which} table`, async () => {
      const t = which === "forward" ? forward : full;
      const file = path.join(dir, `${which}.csv`);
      await writeFeaturesCsv(t, file);
      const back = await readFeaturesCsv(file);
      assert.deepEqual(back, t);
    });
  }

  it("quotes strings that need it", async () => {
    const t: FeatureTable = { ...full, rows: full.rows.slice(0, 2).map((r, i) => ({ ...r, userId: i === 0 ? 'a,"b"' : "line\nbreak", state: " X" })) };
    const file = path.join(dir, "quoted.csv");
    await writeFeaturesCsv(t, file);
    assert.deepEqual((await readFeaturesCsv(file)).rows, t.rows);
  });

  it("bad files name the file, line and field", async () => {
    const file = path.join(dir, "bad.csv");
    await writeFeaturesCsv(full, file);
    const text = fs.readFileSync(file, "utf8").split("\n");
    const cells = text[2].split(",");
    cells[1] = "many";
    text[2] = cells.join(",");
    fs.writeFileSync(file, text.join("\n"));
    await assert.rejects(readFeaturesCsv(file), (e: unknown) => e instanceof SparkifyError && e.message.includes(`${file}:3: field "n_events" must be a number or empty, got "many"`));
    fs.writeFileSync(file, "userId,n_events\n1,2\n");
    await assert.rejects(readFeaturesCsv(file), /bad\.csv:1: column 2 should be "n_events"|bad\.csv:1: column 3/);
    await assert.rejects(readFeaturesCsv(path.join(dir, "missing.csv")), /cannot read features file/);
  });

  it("features() gives a danfo DataFrame with the label column churn", async () => {
    const store = await openEvents([...BEFORE_T, ...AFTER_T]);
    try {
      const df = await features(store, { cutoff: T });
      assert.deepEqual(df.shape, [4, forward.columns.length]);
      assert.deepEqual(df.columns, forward.columns);
      assert.deepEqual(df["churn"].values, [1, 0, 0, 1]);
      assert.deepEqual(df["userId"].values, ["1", "2", "5", "6"]);
      assert.deepEqual(df["cutoff"].values, [T, T, T, T]);
      assert.deepEqual(df["state"].values, ["NY", "CA", null, "IL"]);
      assert.equal(df["thumbs_up_share"].values[1], null);
      assert.deepEqual(featureTableToDataFrame({ ...forward, rows: [] }).columns, forward.columns);
    } finally {
      await store.close();
    }
  });
});
