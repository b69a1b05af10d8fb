import { strict as assert } from "node:assert";
import { newRunId, planRunLayout } from "../../lib/remote/staging";

describe("remote/staging", () => {
  it("lays a run out under the staging prefix", () => {
    const l = planRunLayout("s3://bkt/pre", "r-1");
    assert.deepEqual(l, {
      runId: "r-1",
      root: "s3://bkt/pre/runs/r-1/",
      script: "s3://bkt/pre/runs/r-1/job/features.py",
      query: "s3://bkt/pre/runs/r-1/job/query.sql",
      output: "s3://bkt/pre/runs/r-1/output/features/",
      report: "s3://bkt/pre/runs/r-1/output/report/",
      logs: "s3://bkt/pre/logs/",
      athenaOutput: "s3://bkt/pre/athena/",
    });
    const o = planRunLayout("s3://bkt/pre/", "r-1", { logs: "s3://logs-bkt/emr", athenaOutput: "s3://res-bkt/athena/" });
    assert.equal(o.logs, "s3://logs-bkt/emr/");
    assert.equal(o.athenaOutput, "s3://res-bkt/athena/");
    assert.equal(o.root, "s3://bkt/pre/runs/r-1/");
  });

  it("makes distinct, key-safe run ids and rejects unsafe ones", () => {
    const a = newRunId(new Date(Date.UTC(2026, 10, 24, 3, 4, 5)));
    assert.match(a, /^20261124T030405Z-[0-9a-f]{6}$/);
    assert.notEqual(newRunId(), newRunId());
    assert.throws(() => planRunLayout("s3://bkt/p/", "../x"), /Run id/);
    assert.throws(() => planRunLayout("/local/dir", "r"), /--staging/);
  });
});
