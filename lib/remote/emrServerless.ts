import {
  CancelJobRunCommand,
  EMRServerlessClient,
  GetJobRunCommand,
  StartJobRunCommand,
  type JobRun,
  type StartJobRunCommandInput,
} from "@aws-sdk/client-emr-serverless";
import { SparkifyError } from "../errors";
import { remoteCall } from "./remoteCall";
import { pollUntilDone } from "./polling";
import type { RunLayout } from "./staging";
import type { RemoteLogger } from "./types";

/** What the StartJobRun request is built from. */
export interface EmrJobSpec {
  /** What the job computes, in its name (default "features"). */
  what?: string;
  applicationId: string;
  executionRoleArn: string;
  /** The events prefix the job reads. */
  input: string;
  layout: RunLayout;
  timeoutSeconds: number;
  sparkSubmitParameters?: string;
}

/** Terminal job run states. */
const TERMINAL = new Set(["SUCCESS", "FAILED", "CANCELLED"]);

/**
 * Builds the StartJobRun request: the staged entry point with its input/output/report arguments,
 * logs to S3, and a server-side time limit a little past the client's (should the client die).
 */
export function buildStartJobRunRequest(spec: EmrJobSpec): StartJobRunCommandInput {
  return {
    applicationId: spec.applicationId,
    executionRoleArn: spec.executionRoleArn,
    name: `sparkify-churn-${(spec.what ?? "features").replace(/\s+/g, "-")}-${spec.layout.runId}`,
    // The run id doubles as the idempotency token: a retried request starts no second job.
    clientToken: spec.layout.runId,
    executionTimeoutMinutes: Math.ceil(spec.timeoutSeconds / 60) + 5,
    jobDriver: {
      sparkSubmit: {
        entryPoint: spec.layout.script,
        entryPointArguments: ["--input", spec.input, "--output", spec.layout.output, "--report", spec.layout.report],
        ...(spec.sparkSubmitParameters ? { sparkSubmitParameters: spec.sparkSubmitParameters } : {}),
      },
    },
    configurationOverrides: {
      monitoringConfiguration: { s3MonitoringConfiguration: { logUri: spec.layout.logs } },
    },
    tags: { app: "sparkify-churn", run: spec.layout.runId },
  };
}

/** Where EMR Serverless writes a job's Spark driver logs (stdout.gz, stderr.gz). */
export function emrDriverLogLocation(logUri: string, applicationId: string, jobRunId: string): string {
  return `${logUri.replace(/\/+$/, "")}/applications/${applicationId}/jobs/${jobRunId}/SPARK_DRIVER/`;
}

/** Outcome of a finished job run. */
export interface EmrJobOutcome {
  jobRunId: string;
  logLocation: string;
  seconds: number;
}

/**
 * Starts the job run, polls GetJobRun with a progress line until it ends, stops it (CancelJobRun)
 * on the time limit, the signal or Ctrl-C, and throws with the state details and the log location
 * when it fails.
 */
export async function runEmrJob(
  client: EMRServerlessClient,
  request: StartJobRunCommandInput,
  opts: { pollMs: number; timeoutMs: number; logger: RemoteLogger; signal?: AbortSignal; handleSigint?: boolean },
): Promise<EmrJobOutcome> {
  const applicationId = request.applicationId as string;
  const started = await remoteCall("EMR Serverless", "StartJobRun", `application ${applicationId}`, () => client.send(new StartJobRunCommand(request)));
  const jobRunId = started.jobRunId;
  if (!jobRunId) throw new SparkifyError("E_REMOTE_REQUEST", `StartJobRun on application ${applicationId} returned no jobRunId.`);
  const logUri = request.configurationOverrides?.monitoringConfiguration?.s3MonitoringConfiguration?.logUri ?? "";
  const logLocation = emrDriverLogLocation(logUri, applicationId, jobRunId);
  opts.logger.info(`EMR Serverless job run ${jobRunId} started on application ${applicationId}; driver logs: ${logLocation}`);
  const label = `EMR Serverless job run ${jobRunId}`;
  const { status, seconds } = await pollUntilDone<JobRun>({
    label,
    poll: async () => {
      const res = await remoteCall("EMR Serverless", "GetJobRun", `application ${applicationId}`, () => client.send(new GetJobRunCommand({ applicationId, jobRunId })));
      if (!res.jobRun) throw new SparkifyError("E_REMOTE_REQUEST", `GetJobRun for ${jobRunId} returned no jobRun.`);
      return res.jobRun;
    },
    state: (j) => String(j.state ?? "UNKNOWN"),
    isTerminal: (j) => TERMINAL.has(String(j.state)),
    stop: async () => {
      await remoteCall("EMR Serverless", "CancelJobRun", `application ${applicationId}`, () => client.send(new CancelJobRunCommand({ applicationId, jobRunId })));
    },
    intervalMs: opts.pollMs,
    timeoutMs: opts.timeoutMs,
    logger: opts.logger,
    signal: opts.signal,
    handleSigint: opts.handleSigint,
  });
  if (status.state !== "SUCCESS") {
    const details = status.stateDetails ? `: ${status.stateDetails}` : "";
    throw new SparkifyError(
      status.state === "CANCELLED" ? "E_REMOTE_CANCELLED" : "E_REMOTE_FAILED",
      `${label} ended ${status.state}${details}. Spark driver logs (stderr.gz, stdout.gz): ${logLocation}`,
    );
  }
  opts.logger.info(`${label} succeeded in ${Math.round(seconds)} s.`);
  return { jobRunId, logLocation, seconds };
}
