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

  it("asks for --cutoff in forward mode, since the remote data's time range is not known locally", () => {
    const r = cli([...emr, "--dry-run"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /needs explicit cutoffs: pass --cutoff/);
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

  it("asks for an explicit cutoff instead of weekly ones, which need the data's time range", () => {
    const r = cli([...athena, "--dry-run"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /needs --cutoff ISO in forward mode/);
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
