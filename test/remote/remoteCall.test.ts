import { strict as assert } from "node:assert";
import { SparkifyError } from "../../lib/errors";
import { remoteCall } from "../../lib/remote/remoteCall";

describe("remote/remoteCall (one wrapper for the Athena and EMR Serverless calls)", () => {
  it("names the service, the call and what it was for; keeps the SDK error as the cause", async () => {
    const sdk = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    await assert.rejects(remoteCall("Athena", "GetQueryExecution", "time range", () => Promise.reject(sdk)), (e: SparkifyError) =>
      e.code === "E_REMOTE_REQUEST" && e.message === "Athena GetQueryExecution (time range) failed: ThrottlingException: Rate exceeded" && e.cause === sdk);
  });

  it("lets a SparkifyError through unchanged, and returns the call's answer", async () => {
    const own = new SparkifyError("E_REMOTE_CANCELLED", "stopped");
    await assert.rejects(remoteCall("EMR Serverless", "GetJobRun", "application 00abc", () => Promise.reject(own)), (e) => e === own);
    assert.equal(await remoteCall("EMR Serverless", "GetJobRun", "application 00abc", async () => 42), 42);
  });
});
