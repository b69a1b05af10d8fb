// Notebooks 04-features and 05-model with `engine: "athena"`, run headless as a user runs them: the CLI in
// its own process, a real Jupyter client (nbclient) and a fresh tslab kernel per notebook, the remote
// settings only in the kernel's environment (SPARKIFY_*, AWS_ENDPOINT_URL_*), pointing at the fake Athena
// endpoint and s3rver on 127.0.0.1 (DuckDB standing in for Trino, test/remote). No other test runs a
// notebook on a remote engine; 04's features.csv must be the DuckDB path's on the same events.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildTrainingTable, parseCutoffPlan, writeFeaturesCsv } from "../../lib/index";
import { NOTEBOOKS_DIR } from "../../lib/notebooks/runNotebooks";
import { CHURN_PAGE } from "../../lib/events/schema";
import { simulate } from "../../lib/simulate";
import { checksNeeding, requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn } from "../remote/duckStandIns";
import { INPUT, RemoteHarness, STAGING } from "../remote/harness";
import { BIN, nbformatErrors, readNotebookJson, streamText } from "./nbTestUtil";

/**
 * Simulated raw events (logged-out rows and nulls included) in two files: 40 listeners over the
 * mini preset's two months (seed 7), enough churners in the weekly label windows for 04 and 05 to
 * train, small enough for two kernels. Returns the number of users who cancelled.
 */
async function simulatedParts(dir: string): Promise<number> {
  const lines: string[] = [];
  for await (const line of simulate({ preset: "mini", users: 40, seed: 7, workers: 1 })) lines.push(line);
  // Counted from the simulation, not through the loaders under test: 05 needs churners in both folds.
  const churners = new Set(lines.map((l) => JSON.parse(l) as { userId: string; page: string }).filter((e) => e.page === CHURN_PAGE).map((e) => e.userId));
  assert.ok(churners.size >= 4, `the simulated sample has ${churners.size} churners`);
  const half = Math.ceil(lines.length / 2);
  fs.writeFileSync(path.join(dir, "events-1.json"), lines.slice(0, half).map((l) => `${l}\n`).join(""));
  fs.writeFileSync(path.join(dir, "events-2.json"), lines.slice(half).map((l) => `${l}\n`).join(""));
  return churners.size;
}

/** Runs the CLI without blocking this process, which answers the fake endpoint's requests meanwhile. */
function cliAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("notebooks 03-eda, 04-features and 05-model on a remote engine (athena, settings from SPARKIFY_* in the kernel's environment)", function () {
  this.timeout(900_000);
  let h: RemoteHarness;
  let dir: string;
  let churnerCount = 0;
  const expected: Record<"forward" | "full-history", string> = { forward: "", "full-history": "" };

  before(async function () {
    requireSystem(this, "jupyter");
    h = await RemoteHarness.start();
    dir = h.tempDir("sparkify-remote-nb-events-");
    churnerCount = await simulatedParts(dir);
    for (const f of fs.readdirSync(dir)) await h.put(`${INPUT}${f}`, fs.readFileSync(path.join(dir, f), "utf8"));
    // The DuckDB path's tables on the same events, with the options 04 builds from its default parameters.
    const local = h.tempDir("sparkify-remote-nb-local-");
    for (const mode of ["forward", "full-history"] as const) {
      const csv = path.join(local, `features-${mode}.csv`);
      const table = await buildTrainingTable({ engine: "duckdb", input: dir, out: local }, { mode, cutoffs: parseCutoffPlan("weekly"), horizonDays: 14, label: "cancel" }, csv);
      await writeFeaturesCsv(table, csv);
      // A table with churners in it, so equal tables say something about the labels too.
      assert.ok(table.rows.some((r) => Number(r.churn) === 1) && table.rows.some((r) => Number(r.churn) === 0), `${mode}: both classes`);
      expected[mode] = fs.readFileSync(csv, "utf8");
    }
  });
  after(async () => {
    await h?.close();
  });

  it("03, 04 and 05 run cleanly through Jupyter and tslab on athena; 03 computes its EDA here and says why; 04 writes the DuckDB path's features.csv, 05 scores from athena", async function () {
    const athena = new AthenaStandIn(h);
    h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
    const out = h.outDir();
    const env: NodeJS.ProcessEnv = {
      ...process.env, // the harness put the test credentials here
      AWS_REGION: "us-east-1", SPARKIFY_STAGING: STAGING, SPARKIFY_ATHENA_DATABASE: "sparkify_nb", SPARKIFY_ATHENA_WORKGROUP: "sparkify-nb-wg",
      AWS_ENDPOINT_URL_ATHENA: h.fake.url, AWS_ENDPOINT_URL_S3: h.s3server.endpoint, SPARKIFY_REMOTE_POLL: "0.02", SPARKIFY_REMOTE_TIMEOUT: "300",
    };
    const r = await cliAsync([
      "notebooks", "--engine", "jupyter", "--notebooks-dir", NOTEBOOKS_DIR, "--only", "03,04,05", "--out", out,
      // interim_dir: a folder that does not exist, so nothing local could stand in for the remote events.
      "--param", `input=${INPUT}`, "--param", "engine=athena", "--param", `interim_dir=${path.join(out, "no-interim")}`, "--param", "models=lr", "--param", "folds=2",
    ], env);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const name of ["03-eda", "04-features", "05-model"]) {
      const file = path.join(out, "notebooks", `${name}.ipynb`);
      const nb = readNotebookJson(file);
      assert.deepEqual(nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error"), [], `${name} has error outputs`);
      assert.equal(nb.metadata.papermill!.exception, null, name);
      assert.ok(nb.cells.every((c) => (c.metadata.papermill as { status: string }).status === "completed"), `${name}: every cell completed`);
      assert.match(streamText(nb.cells, "stdout"), new RegExp(`^Events: the raw input ${INPUT.replace(/[/.]/g, "\\$&")}, read by athena where it lives`, "m"), name);
      if (checksNeeding(this, "jupyter", "nbformat validation")) assert.equal(nbformatErrors(file), "", `${name} is valid nbformat 4`);
    }
    // 03: Athena computes no exploratory tables, so the notebook says so and computes them here from the same S3 input.
    const eda03 = streamText(readNotebookJson(path.join(out, "notebooks", "03-eda.ipynb")).cells, "stdout");
    assert.match(eda03, /^athena gives no exploratory analysis \(.+\); computing it on this machine from the same input\.$/m);
    const eda = JSON.parse(fs.readFileSync(path.join(out, "eda.json"), "utf8")) as { churnBy: { gender: Array<{ users: number; churners: number }> } };
    assert.equal(eda.churnBy.gender.reduce((a, r) => a + r.churners, 0), churnerCount, "03's EDA counted the simulated churners");
    assert.equal(fs.readFileSync(path.join(out, "features.csv"), "utf8"), expected.forward, "04's features.csv (forward, weekly cutoffs) is the DuckDB path's");
    assert.equal(fs.readFileSync(path.join(out, "features-full-history.csv"), "utf8"), expected["full-history"], "04's leakage comparison table is the DuckDB path's");
    const scores = fs.readFileSync(path.join(out, "scores.csv"), "utf8").trim().split("\n");
    assert.ok(scores.length > 1, "05 scored the users active at the end of the data");
    // Every statement went to the fake endpoint with the settings the environment gave, none elsewhere.
    const sent = h.fake.calls("StartQueryExecution").map((q) => q.body as { WorkGroup?: string; QueryString?: string; ResultConfiguration?: { OutputLocation?: string } });
    assert.ok(sent.length > 0, "the notebooks queried athena");
    assert.deepEqual([...new Set(sent.map((q) => q.WorkGroup))], ["sparkify-nb-wg"]);
    assert.ok(sent.every((q) => (q.ResultConfiguration?.OutputLocation ?? "").startsWith(`${STAGING}athena/`)), "results under SPARKIFY_STAGING");
    assert.ok(sent.some((q) => /sparkify_nb/.test(q.QueryString ?? "")), "the database SPARKIFY_ATHENA_DATABASE names");
  });
});
