import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
}

describe("cli features --engine (remote engines wired into the command)", () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-engine-")), "features.csv");
  const emr = ["features", "--engine", "emr-serverless", "--input", "s3://bucket/events/", "--region", "us-east-1", "--staging", "s3://bucket/stage/", "--emr-application", "00abc", "--emr-role", "arn:aws:iam::123456789012:role/sparkify", "--out", out];

  it("--dry-run prints the Spark SQL and the StartJobRun request, sends nothing and writes nothing", () => {
    const r = cli([...emr, "--cutoff", "2018-11-01", "--dry-run"], { AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEY123456", AWS_SECRET_ACCESS_KEY: "s3cr3t/verySecretValue+abc" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Spark SQL/);
    assert.match(r.stdout, /CAST\(1541030400000 AS BIGINT\)/, "the cutoff 2018-11-01 is in the rendered query");
    assert.match(r.stdout, /StartJobRun/);
    assert.match(r.stdout, /00abc/);
    assert.doesNotMatch(r.stdout + r.stderr, /verySecretValue/);
    assert.equal(fs.existsSync(out), false);
  });

  it("without --cutoff, finds the default cutoff with one time-range query: the dry run prints that query and says how the cutoff follows", () => {
    const r = cli([...emr, "--dry-run"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /query: the time range of the cleaned events/);
    assert.match(r.stdout, /=== SQL \(Spark SQL, time range\) =+\nSELECT MIN\(ts\) AS min_ts, MAX\(ts\) AS max_ts FROM events\n/);
    assert.match(r.stdout, /QUERY = "SELECT MIN\(ts\) AS min_ts, MAX\(ts\) AS max_ts FROM events"/, "the staged script runs the time-range query");
    assert.match(r.stdout, /"name": "sparkify-churn-time-range-/);
    assert.match(r.stdout, /Then the feature query, with the default cutoff: the UTC midnight at or before \(last event \+ 1 ms − 14 days\)/);
    assert.equal(fs.existsSync(out), false);
  });

  it("--dry-run shows placeholders for settings not given instead of refusing, and needs no AWS", () => {
    const r = cli(["features", "--engine", "emr-serverless", "--input", "s3://bucket/events/", "--cutoff", "2018-11-01", "--out", out, "--dry-run"], {
      AWS_REGION: "", AWS_DEFAULT_REGION: "", SPARKIFY_STAGING: "", SPARKIFY_EMR_APPLICATION: "", SPARKIFY_EMR_ROLE: "",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Dry run: emr-serverless in <region: not given>; nothing is sent\./);
    assert.match(r.stdout, /not given \(shown as <…: not given>; a real run refuses without them\): --region \(AWS_REGION\), --staging s3:\/\/bucket\/prefix\/ \(SPARKIFY_STAGING\), --emr-application \(SPARKIFY_EMR_APPLICATION\), --emr-role \(SPARKIFY_EMR_ROLE\)/);
    assert.match(r.stdout, /"applicationId": "<emr-application: not given>"/);
    assert.match(r.stdout, /"executionRoleArn": "<emr-role: not given>"/);
    assert.match(r.stdout, /"entryPoint": "<staging: not given>\/runs\/[^/]+\/job\/features\.py"/);
    assert.match(r.stdout, /CAST\(1541030400000 AS BIGINT\)/, "the feature query itself, for the given cutoff");
    assert.equal(fs.existsSync(out), false);
  });

  it("a real run (no --dry-run) still refuses without the settings, naming each and the dry run", () => {
    const r = cli(["features", "--engine", "athena", "--input", "s3://bucket/events/", "--cutoff", "2018-11-01", "--out", out], { AWS_REGION: "", AWS_DEFAULT_REGION: "", SPARKIFY_STAGING: "", SPARKIFY_ATHENA_OUTPUT: "" });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /athena needs --region \(AWS_REGION\) and --staging s3:\/\/bucket\/prefix\/ \(SPARKIFY_STAGING\); .*--dry-run shows what would be sent/);
    assert.equal(fs.existsSync(out), false);
  });

  it("rejects an unknown engine with the list of engines", () => {
    const r = cli(["features", "--engine", "spark-on-my-laptop", "--out", out]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /duckdb, emr-serverless, athena/);
  });
});

describe("cli run --engine (the training table where the data lives)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-run-engine-"));
  const athena = ["run", "--engine", "athena", "--input", "s3://bucket/events/", "--region", "eu-west-1", "--staging", "s3://bucket/stage/", "--athena-database", "churn_db", "--out", dir];

  it("--dry-run prints the Trino query for the given cutoff and trains nothing", () => {
    const r = cli([...athena, "--cutoff", "2018-11-05", "--dry-run"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Trino/);
    assert.match(r.stdout, /1541376000000/, "cutoff 2018-11-05 in epoch ms");
    assert.match(r.stdout, /churn_db/);
    assert.equal(fs.existsSync(path.join(dir, "metrics.json")), false);
  });

  it("without --cutoff, plans the time-range query first and says how the weekly cutoffs follow from it", () => {
    const r = cli([...athena, "--dry-run"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /=== SQL \(Trino, with the cleaned events CTE, time range\) =+\nWITH events AS \([\s\S]*?\)\nSELECT MIN\(ts\) AS min_ts, MAX\(ts\) AS max_ts FROM events\n/);
    assert.match(r.stdout, /request 3: Athena StartQueryExecution \(time range\)/);
    const [rangePlan, featurePlan] = r.stdout.split(/\nThen the feature query/);
    assert.doesNotMatch(rangePlan, /request 4: Athena/, "no feature or report statement in the time-range plan");
    assert.match(featurePlan, /<cutoff: from the time range>/, "then the feature plan, with a placeholder cutoff");
    assert.match(r.stdout, /Then the feature query, with weekly cutoffs: every 7 days back from the UTC midnight at or before \(last event \+ 1 ms − 14 days\), down to 14 days after the first event/);
    assert.equal(fs.existsSync(path.join(dir, "metrics.json")), false);
  });

  it("reads the remote settings from the environment, as the flags document", () => {
    const r = cli(["run", "--engine", "emr-serverless", "--input", "s3://bucket/events/", "--cutoff", "2018-11-05", "--out", dir, "--dry-run"], {
      AWS_REGION: "us-west-2", SPARKIFY_STAGING: "s3://envbucket/stage/", SPARKIFY_EMR_APPLICATION: "00envapp", SPARKIFY_EMR_ROLE: "arn:aws:iam::123456789012:role/env",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /00envapp/);
    assert.match(r.stdout, /s3:\/\/envbucket\/stage\//);
  });
});
