// `score` on a remote engine: the saved model scores the snapshot computed where the data lives (the fake
// EMR Serverless / Athena endpoint and the local S3 server, DuckDB standing in for Spark and Trino), and
// the ranked scores equal the ones the local store gives, with and without --cutoff.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { runPipeline, scorePipeline, type RunOptions } from "../../lib/pipeline";
import { requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn, sparkJobStandIn } from "../remote/duckStandIns";
import { CapturingLogger, INPUT, RemoteHarness } from "../remote/harness";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

describe("pipeline: score on a remote engine (the scoring snapshot where the data lives)", function () {
  this.timeout(600_000);
  let h: RemoteHarness;
  let files: string[];
  let forwardModel: string;
  let fullModel: string;
  const common: Partial<RunOptions> = { models: ["lr"], folds: 2, search: false, seed: 3, jobs: 1, quiet: true };

  before(async function () {
    requireSystem(this, "python3");
    ({ h, files } = await RemoteHarness.startWithSample());
    // The sample is too small to train in forward mode (no churner in a label window): the forward model is
    // the full-history one told it was trained forward, which is all the snapshot reads (mode, horizon, label).
    fullModel = (await runPipeline({ ...common, input: files, out: h.outDir(), mode: "full-history" }))!.folder.models + "/lr.json";
    forwardModel = path.join(h.outDir(), "forward-lr.json");
    fs.writeFileSync(forwardModel, JSON.stringify({ ...JSON.parse(fs.readFileSync(fullModel, "utf8")), mode: "forward", horizon: 14 }));
  });
  after(async () => {
    await h?.close();
  });

  it("score --engine … --dry-run prints the time-range query, then the snapshot query with a placeholder; sends and writes nothing", () => {
    const dir = h.outDir();
    const before = h.fake.requests.length;
    const r = spawnSync(process.execPath, [BIN, "score", "--engine", "athena", "--dry-run", "--model", forwardModel, "--input", INPUT, "--out", path.join(dir, "s.csv")], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /query: the time range of the cleaned events/);
    assert.match(r.stdout, /Then the scoring snapshot's feature query, just after the last event[\s\S]*query: the feature table[\s\S]*<cutoff: from the time range>/);
    assert.equal(h.fake.requests.length, before, "nothing sent");
    assert.deepEqual(fs.readdirSync(dir), [], "nothing written");
  });

  for (const engine of ["emr-serverless", "athena"] as const) {
    it(`${engine}: the same scores.csv as the local store (forward mode with and without --cutoff, full history)`, async () => {
      const athena = new AthenaStandIn(h);
      h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"], onSuccess: (job) => sparkJobStandIn(h, job) });
      h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
      const { input: _i, features: _f, outDir: _o, logger: _l, handleSigint: _s, ...settings } = h.options(new CapturingLogger());
      const cases: Array<{ model: string; cutoff?: number }> = [{ model: forwardModel }, { model: forwardModel, cutoff: Date.parse("2018-11-10T00:00:00Z") }, { model: fullModel }];
      for (const c of cases) {
        const dir = h.outDir();
        const local = (await scorePipeline({ model: c.model, cutoff: c.cutoff, input: files, out: path.join(dir, "local.csv"), quiet: true }))!;
        const remote = (await scorePipeline({ model: c.model, cutoff: c.cutoff, input: INPUT, out: path.join(dir, "remote.csv"), quiet: true, engine, remote: settings }))!;
        assert.ok(local.scores.length > 0);
        assert.equal(remote.cutoff, local.cutoff, "the same scoring time");
        assert.equal(fs.readFileSync(path.join(dir, "remote.csv"), "utf8"), fs.readFileSync(path.join(dir, "local.csv"), "utf8"), `${c.model} at ${c.cutoff ?? "the end"}`);
        assert.equal(fs.existsSync(path.join(dir, "remote.quarantine.jsonl")), false, "a remote engine writes no local quarantine file");
      }
    });
  }
});
