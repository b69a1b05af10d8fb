import { strict as assert } from "node:assert";
import { Command, Option } from "commander";
import { isRemoteEngine } from "../../lib/remote";
import { registerRemoteOptions, remoteSettingsFromEnv, remoteSettingsFromFlags, type RemoteFlags } from "../../lib/cli/remoteOptions";

/** A `features`-like command with the remote flags, failing instead of exiting. */
function command(): Command {
  const cmd = new Command("features").exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  cmd.addOption(new Option("--s3-endpoint <url>", "the store's own flag"));
  return registerRemoteOptions(cmd);
}

describe("cli/remoteOptions: flags and SPARKIFY_* variables → the remote settings object", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("adds the flags, keeps a flag the command already has, and turns them into RemoteSettings", () => {
    const cmd = command();
    assert.equal(cmd.options.filter((o) => o.long === "--s3-endpoint").length, 1);
    cmd.parse(["--engine", "athena", "--athena-database", "db1", "--athena-workgroup", "wg", "--staging", "s3://b/p/", "--timeout", "90", "--poll", "2", "--dry-run", "--region", "eu-west-1", "--s3-endpoint", "http://127.0.0.1:9000"], { from: "user" });
    const flags = cmd.opts<RemoteFlags>();
    assert.equal(flags.engine, "athena");
    assert.ok(isRemoteEngine(flags.engine));
    assert.deepEqual(remoteSettingsFromFlags(flags), {
      region: "eu-west-1", endpoints: { emrServerless: undefined, athena: undefined, s3: "http://127.0.0.1:9000" }, staging: "s3://b/p/",
      athenaDatabase: "db1", athenaWorkgroup: "wg", timeoutSeconds: 90, pollSeconds: 2, dryRun: true,
    });
  });

  it("gives only the settings given (absent ones mean the default), with no engine among them", () => {
    const cmd = command();
    cmd.parse(["--engine", "emr-serverless"], { from: "user" });
    assert.deepEqual(remoteSettingsFromFlags(cmd.opts<RemoteFlags>()), {});
  });

  it("reads the settings from environment variables, through the flags' own parsers", () => {
    for (const k of Object.keys(process.env)) if (/^(SPARKIFY_|AWS_ENDPOINT_URL|AWS_REGION$)/.test(k)) delete process.env[k];
    process.env.SPARKIFY_ENGINE = "emr-serverless";
    process.env.SPARKIFY_EMR_APPLICATION = "00app";
    process.env.SPARKIFY_EMR_ROLE = "arn:aws:iam::1:role/r";
    process.env.SPARKIFY_STAGING = "s3://b/stage/";
    process.env.SPARKIFY_REMOTE_TIMEOUT = "120";
    const cmd = command();
    cmd.parse([], { from: "user" });
    const flags = cmd.opts<RemoteFlags>();
    assert.deepEqual([flags.engine, flags.emrApplication, flags.emrRole, flags.timeout], ["emr-serverless", "00app", "arn:aws:iam::1:role/r", 120]);
    assert.equal(isRemoteEngine("duckdb"), false);
    const s = remoteSettingsFromEnv();
    assert.deepEqual(s, { applicationId: "00app", executionRoleArn: "arn:aws:iam::1:role/r", staging: "s3://b/stage/", timeoutSeconds: 120 }, "typed by the flag's parser; the engine is the caller's choice, not a setting");
  });

  it("rejects an unknown engine and a bad time limit with the flag's name", () => {
    assert.throws(() => command().parse(["--engine", "spark"], { from: "user" }), /--engine must be one of duckdb, emr-serverless, athena/);
    assert.throws(() => command().parse(["--timeout", "soon"], { from: "user" }), /--timeout must be a number/);
  });
});
