// `features --engine …` without --cutoff, as a user runs it: the CLI in its own process against the local
// S3 server and the fake EMR Serverless / Athena endpoint (DuckDB standing in for Spark and Trino). It
// finds the default cutoff with one time-range query and writes the table `features` writes locally.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { formatSamples } from "../helpers/formatSamples";
import { requireSystem } from "../helpers/systemSuites";
import { AthenaStandIn, sparkJobStandIn } from "../remote/duckStandIns";
import { APP_ID, INPUT, RemoteHarness, ROLE_ARN, STAGING } from "../remote/harness";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
const run = promisify(execFile);

describe("cli features --engine without --cutoff (the remote engine finds the default cutoff)", function () {
  this.timeout(600_000);
  let h: RemoteHarness;
  let dir: string;

  before(async function () {
    requireSystem(this, "python3");
    dir = await formatSamples()[0].dir();
    h = await RemoteHarness.start();
    for (const f of fs.readdirSync(dir)) await h.put(`${INPUT}${f}`, fs.readFileSync(path.join(dir, f), "utf8"));
  });
  after(async () => {
    await h?.close();
  });

  for (const engine of ["emr-serverless", "athena"] as const) {
    it(`${engine}: the same features.csv and cutoff as the local command`, async () => {
      const athena = new AthenaStandIn(h);
      h.fake.emrScenario = () => ({ states: ["SUBMITTED", "RUNNING", "SUCCESS"], onSuccess: (job) => sparkJobStandIn(h, job) });
      h.fake.athenaScenario = () => ({ states: ["QUEUED", "RUNNING", "SUCCEEDED"], onSuccess: (job) => athena.run(job) });
      const out = h.outDir();
      // Asynchronous: the fake endpoint answers from this process while the CLI runs.
      await run(process.execPath, [BIN, "features", "--input", dir, "--out", path.join(out, "local.csv"), "--quiet"]);
      const env = {
        ...process.env, AWS_REGION: "us-east-1", SPARKIFY_STAGING: STAGING, SPARKIFY_EMR_APPLICATION: APP_ID, SPARKIFY_EMR_ROLE: ROLE_ARN, SPARKIFY_ATHENA_DATABASE: "sparkify_test",
        AWS_ENDPOINT_URL_EMR_SERVERLESS: h.fake.url, AWS_ENDPOINT_URL_ATHENA: h.fake.url, AWS_ENDPOINT_URL_S3: h.s3server.endpoint, SPARKIFY_REMOTE_POLL: "0.02",
      };
      const r = await run(process.execPath, [BIN, "features", "--engine", engine, "--input", INPUT, "--out", path.join(out, "remote.csv"), "--report", path.join(out, "report.json")], { env });
      assert.equal(fs.readFileSync(path.join(out, "remote.csv"), "utf8"), fs.readFileSync(path.join(out, "local.csv"), "utf8"));
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "remote.csv.json"), "utf8")), JSON.parse(fs.readFileSync(path.join(out, "local.csv.json"), "utf8")));
      assert.match(r.stderr, /span 20\d\d-/, "the time range was asked first");
      const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as { lines: number; kept: number; quarantined: number };
      assert.equal(report.lines, report.kept + report.quarantined + Object.values((report as unknown as { dropped: Record<string, number> }).dropped).reduce((a, b) => a + b, 0));
    });
  }
});
