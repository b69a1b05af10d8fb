// Issue 14.9: the same input and options give byte-identical feature tables, run after run and in
// both storages. DOUBLE sums added in parallel (several row groups, two threads) differ in the last
// digits between runs; the feature query sums whole numbers only (see lib/features/featureQuery.ts).
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { computeFeatures, type FeatureOptions } from "../../lib/features";
import { writeFeaturesCsv } from "../../lib/features/featuresCsv";
import { weeklyCutoffs } from "../../lib/eventSource/cutoffPlan";
import { writeSimulation } from "../../lib/simulate";
import { EventStore, type StorageMode } from "../../lib/store";

const CLI = path.resolve(__dirname, "../../bin/sparkify-churn.js");

describe("features: byte-identical tables from the same input (issue 14.9)", function () {
  this.timeout(300_000);
  let dir: string;
  let input: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-repro-"));
    input = path.join(dir, "events.jsonl");
    // About 400,000 events: several DuckDB row groups, so two threads add partial sums in either order.
    await writeSimulation({ preset: "mini", users: 320, seed: 21, out: input, quiet: true, workers: 1 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The features CSV of one run of computeFeatures on a fresh store. */
  async function csvOf(storage: StorageMode, options: (s: EventStore) => Promise<FeatureOptions>, name: string): Promise<Buffer> {
    const store = await EventStore.open(input, { storage, quiet: true, threads: 2 });
    try {
      const file = path.join(dir, name);
      await writeFeaturesCsv(await computeFeatures(store, await options(store)), file);
      return fs.readFileSync(file);
    } finally {
      await store.close();
    }
  }

  const cases: Array<{ name: string; options: (s: EventStore) => Promise<FeatureOptions> }> = [
    { name: "forward, the weekly cutoffs run stacks", options: async (s) => ({ cutoffs: weeklyCutoffs(await s.timeRange(), 14, 14) }) },
    { name: "full-history", options: async () => ({ mode: "full-history" }) },
  ];
  for (const c of cases) {
    it(`${c.name}: twice in memory storage and twice in files storage, the same bytes`, async () => {
      const tag = c.name.replace(/\W+/g, "-");
      const memory = [await csvOf("memory", c.options, `${tag}-m1.csv`), await csvOf("memory", c.options, `${tag}-m2.csv`)];
      const files = [await csvOf("files", c.options, `${tag}-f1.csv`), await csvOf("files", c.options, `${tag}-f2.csv`)];
      assert.ok(memory[0].length > 50_000, "a table of some size");
      assert.ok(/\d\.\d{10,}/.test(memory[0].toString("utf8")), "the table holds full-precision fractions (listening hours, means)");
      for (const [what, b] of [["memory, second run", memory[1]], ["files, first run", files[0]], ["files, second run", files[1]]] as const) {
        assert.ok(b.equals(memory[0]), `${what}: features.csv differs from the first run in memory`);
      }
    });
  }

  it("the features command twice, --storage memory and files: the same bytes", async () => {
    const run = promisify(execFile);
    const outs: Buffer[] = [];
    for (const storage of ["memory", "files"]) {
      const out = path.join(dir, `cli-${storage}.csv`);
      await run(process.execPath, [CLI, "features", "--input", input, "--storage", storage, "--out", out, "--quiet"], { maxBuffer: 1 << 24 });
      outs.push(fs.readFileSync(out));
    }
    assert.ok(outs[1].equals(outs[0]), "features.csv from --storage files differs from --storage memory");
  });
});
