import { strict as assert } from "node:assert";
import { Command, Option } from "commander";
import { isRemoteEngine, registerRemoteOptions, remoteOptionsFromFlags, type RemoteFlags } from "../../lib/remote/registerRemoteOptions";

/** A `features`-like command with the remote flags, failing instead of exiting. */
function command(): Command {
  const cmd = new Command("features").exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.addOption(new Option("--s3-endpoint <url>", "the store's own flag"));
  return registerRemoteOptions(cmd);
}

describe("remote/registerRemoteOptions", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("adds the flags, keeps a flag the command already has, and parses them into RemoteOptions", () => {
    const cmd = command();
    assert.equal(cmd.options.filter((o) => o.long === "--s3-endpoint").length, 1);
    cmd.parse(["--engine", "athena", "--athena-database", "db1", "--athena-workgroup", "wg", "--staging", "s3://b/p/", "--timeout", "90", "--poll", "2", "--dry-run", "--region", "eu-west-1"], { from: "user" });
    const flags = cmd.opts<RemoteFlags>();
    assert.equal(flags.engine, "athena");
    assert.ok(isRemoteEngine(flags.engine));
    const opts = remoteOptionsFromFlags(flags, { input: "s3://e/l/", features: { mode: "full-history", cutoffs: [], horizonDays: 14, label: "cancel" }, outDir: "/tmp/x" });
    assert.equal(opts.athenaDatabase, "db1");
    assert.equal(opts.athenaWorkgroup, "wg");
    assert.equal(opts.timeoutSeconds, 90);
    assert.equal(opts.pollSeconds, 2);
    assert.equal(opts.dryRun, true);
    assert.equal(opts.region, "eu-west-1");
  });

  it("reads the settings from environment variables", () => {
    process.env.SPARKIFY_ENGINE = "emr-serverless";
    process.env.SPARKIFY_EMR_APPLICATION = "00app";
    process.env.SPARKIFY_EMR_ROLE = "arn:aws:iam::1:role/r";
    process.env.SPARKIFY_REMOTE_TIMEOUT = "120";
    const cmd = command();
    cmd.parse([], { from: "user" });
    const flags = cmd.opts<RemoteFlags>();
    assert.deepEqual([flags.engine, flags.emrApplication, flags.emrRole, flags.timeout], ["emr-serverless", "00app", "arn:aws:iam::1:role/r", 120]);
    assert.equal(isRemoteEngine("duckdb"), false);
  });

  it("rejects an unknown engine and a bad time limit with the flag's name", () => {
    assert.throws(() => command().parse(["--engine", "spark"], { from: "user" }), /--engine must be one of duckdb, emr-serverless, athena/);
    assert.throws(() => command().parse(["--timeout", "soon"], { from: "user" }), /--timeout must be a number/);
  });
});
