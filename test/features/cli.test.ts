// `sparkify-churn features` end to end (kept here with the features tests; the CLI folder belongs
// to the lead).
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CommanderError } from "commander";
import { cutoffWarnings } from "../../lib/cli/commands/features";
import { buildProgram } from "../../lib/cli/main";
import { SparkifyError } from "../../lib/errors";
import { readFeaturesCsv } from "../../lib/features";
import { SIMULATED_SPARK_SAMPLE, type SampleFacts } from "../helpers/formatSamples";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

function cli(...args: string[]) {
  return spawnSync(process.execPath, [BIN, "features", ...args], { encoding: "utf8" });
}

describe("cli: sparkify-churn features", () => {
  let dir: string;
  // The Spark re-export the project makes from simulated events (test/helpers/formatSamples.ts).
  let SAMPLE: string;
  let facts: SampleFacts;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-features-cli-"));
    SAMPLE = await SIMULATED_SPARK_SAMPLE.dir();
    facts = await SIMULATED_SPARK_SAMPLE.facts();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the CSV, its settings and the data report; stacked cutoffs from repeated flags", async () => {
    const out = path.join(dir, "run", "features.csv");
    const report = path.join(dir, "run", "data-report.json");
    const r = cli("--input", SAMPLE, "--cutoff", "2018-10-15,2018-10-22", "--cutoff", "2018-10-29", "--horizon", "10", "--label", "cancel-or-downgrade", "--out", out, "--report", report);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /rows, \d+ users, 63 features/);
    const t = await readFeaturesCsv(out);
    assert.equal(t.mode, "forward");
    assert.deepEqual(t.cutoffs, [Date.UTC(2018, 9, 15), Date.UTC(2018, 9, 22), Date.UTC(2018, 9, 29)]);
    assert.equal(t.horizonDays, 10);
    assert.equal(t.label, "cancel-or-downgrade");
    assert.equal(JSON.parse(fs.readFileSync(report, "utf8")).lines, facts.events);
  });

  // In-process from here on: one spawn above is enough to cover the binary.
  const run = (...args: string[]) => {
    const program = buildProgram();
    program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    for (const c of program.commands) c.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
    return program.parseAsync(["node", "sparkify-churn", "features", ...args]);
  };

  it("full-history: one row per user, the churners labelled", async () => {
    const out = path.join(dir, "full.csv");
    await run("--input", SAMPLE, "--mode", "full-history", "--out", out, "--quiet");
    const t = await readFeaturesCsv(out);
    assert.equal(t.mode, "full-history");
    assert.equal(t.rows.length, facts.users);
    assert.equal(t.rows.filter((r) => r.churn === 1).length, facts.churners);
  });

  it("--storage files and --storage memory write the same table; an unknown storage is refused", async () => {
    const [a, b] = [path.join(dir, "files.csv"), path.join(dir, "memory.csv")];
    await run("--input", SAMPLE, "--cutoff", "2018-11-01", "--storage", "files", "--out", a, "--quiet");
    await run("--input", SAMPLE, "--cutoff", "2018-11-01", "--storage", "memory", "--out", b, "--quiet");
    const [ta, tb] = [await readFeaturesCsv(a), await readFeaturesCsv(b)];
    assert.ok(ta.rows.length >= 3 && ta.rows.length === tb.rows.length, `${ta.rows.length} vs ${tb.rows.length} rows`);
    assert.deepEqual(ta.rows.map((r) => r.userId), tb.rows.map((r) => r.userId));
    for (let i = 0; i < ta.rows.length; i++) {
      for (const [k, v] of Object.entries(ta.rows[i])) {
        const w = tb.rows[i][k];
        if (typeof v === "number" && typeof w === "number") assert.ok(Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(w)), `${k}: ${v} vs ${w}`);
        else assert.equal(v, w, k);
      }
    }
    await assert.rejects(run("--input", SAMPLE, "--storage", "disk", "--out", a), (e: unknown) => e instanceof CommanderError && /--storage must be one of auto, memory, files/.test(e.message));
  });

  it("refuses --cutoff in full-history mode, a zero horizon, unknown engines and a missing --out", async () => {
    const out = path.join(dir, "x.csv");
    await assert.rejects(run("--input", SAMPLE, "--mode", "full-history", "--cutoff", "2018-10-15", "--out", out), (e: unknown) => e instanceof SparkifyError && /--cutoff applies to --mode forward only/.test(e.message));
    await assert.rejects(run("--input", SAMPLE, "--horizon", "0", "--out", out), (e: unknown) => e instanceof CommanderError && /--horizon must be more than 0 days/.test(e.message));
    await assert.rejects(run("--input", SAMPLE, "--engine", "spark-on-a-toaster", "--out", out), (e: unknown) => e instanceof CommanderError && /--engine must be one of duckdb/.test(e.message));
    await assert.rejects(run("--input", SAMPLE), (e: unknown) => e instanceof SparkifyError && /--out <file.csv> is required/.test(e.message));
    assert.equal(fs.existsSync(out), false);
  });

  it("warns about a label window past the data's end and a cutoff before the first event", () => {
    const day = 86_400_000;
    const t = { columns: [], rows: [], dictionary: [], mode: "forward" as const, cutoffs: [10 * day, 40 * day, 95 * day], horizonDays: 14, label: "cancel" as const };
    const w = cutoffWarnings(t, { minTs: 20 * day, maxTs: 100 * day });
    assert.equal(w.length, 2);
    assert.match(w[0], /1970-01-11T00:00:00.000Z is not after the first event/);
    assert.match(w[1], /before the label window of cutoff 1970-04-06T00:00:00.000Z closes/);
    assert.deepEqual(cutoffWarnings({ ...t, mode: "full-history", cutoffs: [] }, { minTs: 0, maxTs: 1 }), []);
  });
});
