import { strict as assert } from "node:assert";
import { buildTrainingTable, remoteDataReport, remoteSettingsFromEnv } from "../../lib/pipeline";

describe("pipeline: remote settings and tables", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("reads the remote-engine settings from the same environment variables as the CLI flags", () => {
    process.env.SPARKIFY_EMR_APPLICATION = "00app";
    process.env.SPARKIFY_EMR_ROLE = "arn:aws:iam::1:role/r";
    process.env.SPARKIFY_STAGING = "s3://b/stage/";
    process.env.SPARKIFY_REMOTE_TIMEOUT = "120";
    const s = remoteSettingsFromEnv();
    assert.equal(s.emrApplication, "00app");
    assert.equal(s.emrRole, "arn:aws:iam::1:role/r");
    assert.equal(s.staging, "s3://b/stage/");
    assert.equal(s.timeout, 120, "typed by the flag's own parser");
    assert.equal((s as { engine?: string }).engine, undefined, "the engine is the caller's choice, not a setting");
  });

  it("needs an s3 input on a remote engine and names unknown engines", async () => {
    await assert.rejects(buildTrainingTable({ engine: "athena", out: "/tmp" }, {}, "/tmp/never.csv"), /needs input = "s3:\/\/bucket\/prefix\/"/);
    await assert.rejects(buildTrainingTable({ engine: "spark-local", out: "/tmp" }, {}, "/tmp/never.csv"), /engine must be duckdb, emr-serverless or athena, got "spark-local"/);
  });

  it("turns the remote cleaning counts into the data report's shape, malformed lines as quarantined", () => {
    const r = remoteDataReport("s3://b/p/", { lines: 30, kept: 20, dropped: { no_user: 5, duplicate: 3 }, malformed: 2 });
    assert.equal(r.lines, r.kept + Object.values(r.dropped).reduce((a, b) => a + b, 0) + r.quarantined);
    assert.deepEqual(r.sources, [{ source: "s3://b/p/", lines: 30, bytes: 0 }]);
  });
});
