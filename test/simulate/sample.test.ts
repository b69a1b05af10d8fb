import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { SAMPLE_DATASET } from "../../lib/config";
import { writeSimulation } from "../../lib/simulate";

// The committed sample must be exactly what its documented command produces (data/README.md):
// `sparkify-churn simulate --preset mini --users 30 --seed 7 --out data/sample/sparkify-sample.jsonl.gz`.
const SAMPLE_COMMAND = { preset: "mini" as const, users: 30, seed: 7 };

describe("committed sample data/sample/sparkify-sample.jsonl.gz", function () {
  let tmp: string;
  before(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-sample-")); });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("is byte-identical to regenerating it with its documented command", async () => {
    const out = path.join(tmp, "sparkify-sample.jsonl.gz");
    await writeSimulation({ ...SAMPLE_COMMAND, out, quiet: true });
    const committed = fs.readFileSync(SAMPLE_DATASET);
    const fresh = fs.readFileSync(out);
    assert.ok(committed.equals(fresh), "the sample drifted from the generator: regenerate it with the command in data/README.md");
  });

  it("is small and has churners and non-churners enough for 3-fold cross-validation", () => {
    const gz = fs.readFileSync(SAMPLE_DATASET);
    assert.ok(gz.length < 3_000_000, `${gz.length} bytes`);
    const lines = zlib.gunzipSync(gz).toString("utf8").trimEnd().split("\n");
    assert.ok(lines.length > 10_000 && lines.length < 60_000, `${lines.length} events`);
    const users = new Set<string>();
    const churners = new Set<string>();
    for (const l of lines) {
      const e = JSON.parse(l);
      if (e.userId) users.add(e.userId);
      if (e.page === "Cancellation Confirmation") churners.add(e.userId);
    }
    assert.ok(churners.size >= 6, `${churners.size} churners`);
    assert.ok(users.size - churners.size >= 6, `${users.size - churners.size} non-churners`);
  });
});
