// `--dry-run` on the command line: it sends nothing, writes nothing and never touches an earlier run in
// --out; it refuses the local engine (where it would mean nothing); and it shows the feature query even
// when the cutoffs follow from the time range (placeholders for what only the data can tell).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "../../bin/sparkify-churn.js");
/** No remote setting from the environment: the tests say what they give. */
const NO_SETTINGS = { AWS_REGION: "", AWS_DEFAULT_REGION: "", SPARKIFY_STAGING: "", SPARKIFY_EMR_APPLICATION: "", SPARKIFY_EMR_ROLE: "" };

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, ...NO_SETTINGS };
  delete base.SPARKIFY_ENGINE; // the engine is the one the test names (duckdb when none)
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...base, ...env } });
}

/** A run folder as an earlier run left it. */
function earlierRun(): { dir: string; files: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dry-"));
  const files = ["data-report.json", "metrics.json", "models/gbt.json", "scores.csv"];
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), f.endsWith(".csv") ? "user_id,probability\n" : "{}\n");
  }
  return { dir, files };
}

function assertUntouched(run: { dir: string; files: string[] }): void {
  for (const f of run.files) assert.ok(fs.existsSync(path.join(run.dir, f)), `${f} of the earlier run is still there`);
}

describe("cli --dry-run (remote engines only; nothing sent, nothing written, nothing removed)", function () {
  this.timeout(120_000);

  for (const engine of ["athena", "emr-serverless"] as const) {
    it(`run --engine ${engine} --dry-run leaves the earlier run in --out as it was`, () => {
      const run = earlierRun();
      const r = cli(["run", "--engine", engine, "--dry-run", "--input", "s3://bucket/events/", "--out", run.dir]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Dry run: /);
      assertUntouched(run);
    });
  }

  it("run: an option error (a bad S3 URL, missing settings) refuses before the earlier run is removed", () => {
    const run = earlierRun();
    const bad = cli(["run", "--engine", "athena", "--input", "s3:/bucket", "--out", run.dir]);
    assert.equal(bad.status, 2, bad.stderr);
    assertUntouched(run);
    const missing = cli(["run", "--engine", "emr-serverless", "--input", "s3://bucket/events/", "--out", run.dir]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /E_REMOTE_CONFIG/);
    assertUntouched(run);
  });

  it("--dry-run with the local engine is refused (features and run), and nothing is written or removed", () => {
    const run = earlierRun();
    const out = path.join(run.dir, "features.csv");
    const f = cli(["features", "--dry-run", "--out", out]);
    assert.equal(f.status, 2, f.stderr);
    assert.match(f.stderr, /--dry-run applies to --engine emr-serverless\|athena/);
    assert.equal(fs.existsSync(out), false);
    const r = cli(["run", "--dry-run", "--out", run.dir]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--dry-run applies to --engine emr-serverless\|athena/);
    assertUntouched(run);
  });

  for (const command of ["features", "run"] as const) {
    it(`${command} --dry-run without --cutoff prints the time-range query, then the feature query with a cutoff placeholder`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dry-"));
      const out = command === "features" ? path.join(dir, "f.csv") : dir;
      const r = cli([command, "--engine", "emr-serverless", "--dry-run", "--input", "s3://bucket/events/", "--out", out]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /query: the time range of the cleaned events/);
      assert.match(r.stdout, /query: the feature table/);
      assert.match(r.stdout, /<cutoff: from the time range>/);
      assert.match(r.stdout, /StartJobRun[\s\S]*StartJobRun/, "both job requests are shown");
      assert.match(r.stdout, /features\.py/);
      assert.deepEqual(fs.readdirSync(dir), [], "a dry run writes nothing");
    });
  }

  it("features and run read the engine from SPARKIFY_ENGINE alike (one --engine option, registerRemoteOptions)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dry-"));
    const env = { SPARKIFY_ENGINE: "athena" };
    for (const args of [["features", "--out", path.join(dir, "f.csv")], ["run", "--out", dir]]) {
      const r = cli([...args, "--dry-run", "--input", "s3://bucket/events/"], env);
      assert.match(r.stdout, /^Dry run: athena in <region: not given>; nothing is sent\./, `${args[0]}: ${r.stderr}`);
    }
  });

  it("the region comes from --region, else AWS_REGION, else AWS_DEFAULT_REGION (read by the CLI only)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dry-"));
    const args = ["features", "--engine", "athena", "--dry-run", "--cutoff", "2018-11-01", "--input", "s3://bucket/events/", "--out", path.join(dir, "f.csv")];
    assert.match(cli(args, { AWS_DEFAULT_REGION: "eu-west-3" }).stdout, /^Dry run: athena in eu-west-3;/);
    assert.match(cli(args, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-west-3" }).stdout, /^Dry run: athena in eu-west-1;/);
    assert.match(cli([...args, "--region", "us-west-2"], { AWS_REGION: "eu-west-1" }).stdout, /^Dry run: athena in us-west-2;/);
  });

  it("--dry-run without --input shows <input: not given>", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-dry-"));
    const r = cli(["features", "--engine", "athena", "--dry-run", "--cutoff", "2018-11-01", "--out", path.join(dir, "f.csv")]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /input: <input: not given>/);
  });
});
