// `run` through the remote event source, end to end: the local S3 server and the fake EMR Serverless /
// Athena endpoint with DuckDB standing in for Spark and Trino. The training table and the models
// must be the local run's on the same events; only what needs the events locally (EDA) is left out.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { runPipeline, type RunOptions } from "../../lib/pipeline";
import { requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn, sparkJobStandIn } from "../remote/duckStandIns";
import { CapturingLogger, INPUT, RemoteHarness } from "../remote/harness";

describe("pipeline: run on a remote engine (through the event source)", function () {
  this.timeout(600_000);
  let h: RemoteHarness;
  let files: string[];
  const common: Partial<RunOptions> = { mode: "full-history", models: ["lr"], folds: 2, search: false, seed: 3, jobs: 1, quiet: true };

  before(async function () {
    requireSystem(this, "python3");
    ({ h, files } = await RemoteHarness.startWithSample());
  });
  after(async () => {
    await h?.close();
  });

  for (const engine of ["emr-serverless", "athena"] as const) {
    it(`${engine}: the same features.csv, data counts and cross-validated model as the local run; no EDA, and the report says why`, async () => {
      const athena = new AthenaStandIn(h);
      h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"], onSuccess: (job) => sparkJobStandIn(h, job) });
      h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
      const { input: _i, features: _f, outDir: _o, logger: _l, handleSigint: _s, ...settings } = h.options(new CapturingLogger());
      const local = (await runPipeline({ ...common, input: files, out: h.outDir() }))!;
      const remote = (await runPipeline({ ...common, input: INPUT, out: h.outDir(), engine, remote: settings, log: () => undefined }))!;
      assert.ok(remote, "a real run, not a dry run");
      assert.equal(fs.readFileSync(remote.folder.features, "utf8"), fs.readFileSync(local.folder.features, "utf8"));
      assert.equal(remote.report.kept, local.report.kept);
      assert.equal(remote.metrics.models.lr!.auc, local.metrics.models.lr!.auc);
      assert.equal(fs.existsSync(remote.folder.eda), false);
      assert.match(fs.readFileSync(remote.folder.report, "utf8"), /no EDA charts: the events stay on S3/);
      const manifest = JSON.parse(fs.readFileSync(remote.folder.manifest, "utf8")) as { inputs: Array<{ source: string; remote?: string }> };
      assert.deepEqual(manifest.inputs, [{ source: INPUT, remote: engine }]);
      assert.deepEqual(remote.scores.map((s) => s.userId).sort(), local.scores.map((s) => s.userId).sort(), "full-history: the same users still active are scored");
    });
  }
});
