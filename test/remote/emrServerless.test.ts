import { strict as assert } from "node:assert";
import { buildStartJobRunRequest, emrDriverLogLocation } from "../../lib/remote/emrServerless";
import { planRunLayout } from "../../lib/remote/staging";

describe("remote/emrServerless", () => {
  const layout = planRunLayout("s3://bkt/st/", "r-9", { logs: "s3://logs-bkt/emr/" });

  it("builds StartJobRun from the layout, with a server-side limit past the client's", () => {
    const req = buildStartJobRunRequest({ applicationId: "00app", executionRoleArn: "arn:aws:iam::1:role/r", input: "s3://ev/x/", layout, timeoutSeconds: 601, sparkSubmitParameters: "--conf spark.executor.cores=4" });
    assert.equal(req.executionTimeoutMinutes, 16);
    assert.equal(req.name, "sparkify-churn-features-r-9");
    assert.deepEqual(req.jobDriver, {
      sparkSubmit: {
        entryPoint: "s3://bkt/st/runs/r-9/job/features.py",
        entryPointArguments: ["--input", "s3://ev/x/", "--output", "s3://bkt/st/runs/r-9/output/features/", "--report", "s3://bkt/st/runs/r-9/output/report/"],
        sparkSubmitParameters: "--conf spark.executor.cores=4",
      },
    });
    assert.equal(req.configurationOverrides?.monitoringConfiguration?.s3MonitoringConfiguration?.logUri, "s3://logs-bkt/emr/");
  });

  it("points at the driver logs of a job run", () => {
    assert.equal(emrDriverLogLocation("s3://logs-bkt/emr/", "00app", "00fjob1"), "s3://logs-bkt/emr/applications/00app/jobs/00fjob1/SPARK_DRIVER/");
  });
});
