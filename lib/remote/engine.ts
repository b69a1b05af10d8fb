import * as fs from "node:fs";
import * as path from "node:path";
import { AthenaClient } from "@aws-sdk/client-athena";
import { EMRServerlessClient } from "@aws-sdk/client-emr-serverless";
import type { S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../errors";
import { writeFeaturesCsv } from "../features/featuresCsv";
import { writeJsonAtomic } from "../io/atomicWrite";
import { renderFeatureQuery } from "../features/renderFeatureQuery";
import { runAthenaQuery } from "./athena";
import { formatDryRun } from "./dryRun";
import { runEmrJob } from "./emrServerless";
import { checkRemoteReport, fetchSparkCsv, fetchSparkReport, parseAthenaReport } from "./fetchResult";
import { remoteFeatureTable } from "./remoteFeatureTable";
import { planAthena, planEmrServerless, type PlanBase, type RemotePlan } from "./planRemote";
import { redact, redactingLogger } from "./redactingLogger";
import { createS3Client, downloadToFile, requireS3Url } from "../inputs/s3";
import { newRunId, planRunLayout, stageFiles } from "./staging";
import { stderrLogger } from "./stderrLogger";
import { REMOTE_ENGINES, type Engine, type RemoteDataReport, type RemoteLogger, type RemoteOptions, type RemoteResult } from "./types";

export type { Engine } from "./types";

/** Default time limit of a remote job, seconds. */
export const DEFAULT_REMOTE_TIMEOUT_SECONDS = 3600;
/** Default seconds between polls. */
export const DEFAULT_POLL_SECONDS = 10;

/**
 * Computes the feature table on a remote engine where the events live (EMR Serverless Spark or
 * Athena), then fetches it into `outDir/features.csv` in the layout the DuckDB path writes.
 * With `dryRun`, prints the SQL, the staged script and the requests instead, and sends nothing.
 */
export async function computeFeaturesRemote(engine: Engine, options: RemoteOptions): Promise<RemoteResult> {
  if (!(REMOTE_ENGINES as readonly string[]).includes(engine)) {
    throw new SparkifyError("E_BAD_OPTION", `Unknown remote engine "${engine}": use one of ${REMOTE_ENGINES.join(", ")}.`);
  }
  const logger = redactingLogger(options.logger ?? stderrLogger(), staticSecrets(options));
  const plan = planRun(engine, options);
  if (options.dryRun) {
    const text = redact(formatDryRun(plan), staticSecrets(options));
    (options.print ?? ((t: string) => process.stdout.write(t)))(text);
    return { csvPath: "", engine, rows: 0, columns: [], dryRunText: text };
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const s3 = createS3Client({ region: plan.region, endpoint: plan.endpoints.s3, credentials: options.credentials });
  try {
    return engine === "emr-serverless"
      ? await runEmr(plan, options, s3, logger)
      : await runAthena(plan, options, s3, logger);
  } catch (err) {
    // SDK errors can quote request details; nothing that leaves here may carry a secret.
    if (err instanceof Error) err.message = redact(err.message, staticSecrets(options));
    throw err;
  } finally {
    s3.destroy();
  }
}

/** Validates the options and builds the plan (pure: no request is sent). */
export function planRun(engine: Engine, options: RemoteOptions): RemotePlan {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new SparkifyError("E_REMOTE_CONFIG", "No AWS region: pass --region or set AWS_REGION.");
  const input = options.input;
  requireS3Url(input, "--input (a remote engine reads the events where they are)");
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_REMOTE_TIMEOUT_SECONDS;
  const pollSeconds = options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  if (!(timeoutSeconds > 0)) throw new SparkifyError("E_REMOTE_CONFIG", `--timeout must be positive, got ${timeoutSeconds}.`);
  if (!(pollSeconds > 0)) throw new SparkifyError("E_REMOTE_CONFIG", `The poll interval must be positive, got ${pollSeconds}.`);
  const staging = options.staging ?? (engine === "athena" && options.athenaOutput ? options.athenaOutput : undefined);
  if (!staging) throw new SparkifyError("E_REMOTE_CONFIG", `${engine} needs an S3 staging prefix: pass --staging s3://bucket/prefix/ or set SPARKIFY_STAGING.`);
  const layout = planRunLayout(staging, options.runId ?? newRunId(), { logs: options.emrLogUri, athenaOutput: options.athenaOutput });
  const base: PlanBase = { region, endpoints: { ...options.endpoints }, input, layout, pollSeconds, timeoutSeconds };
  if (options.features.mode === "forward" && options.features.cutoffs.length === 0) {
    // The default cutoff comes from the data's time range, which only the remote engine can see.
    throw new SparkifyError("E_REMOTE_CONFIG", "Forward mode on a remote engine needs explicit cutoffs: pass --cutoff ISO.");
  }
  const render = options.render ?? renderFeatureQuery;
  if (engine === "emr-serverless") {
    const missing = [
      options.applicationId ? "" : "--emr-application (SPARKIFY_EMR_APPLICATION)",
      options.executionRoleArn ? "" : "--emr-role (SPARKIFY_EMR_ROLE)",
    ].filter(Boolean);
    if (missing.length) throw new SparkifyError("E_REMOTE_CONFIG", `EMR Serverless needs ${missing.join(" and ")}; see docs/remote-engines.md.`);
    return planEmrServerless(base, render("spark", options.features), {
      applicationId: options.applicationId as string,
      executionRoleArn: options.executionRoleArn as string,
      sparkSubmitParameters: options.sparkSubmitParameters,
    });
  }
  return planAthena(base, render("trino", options.features), {
    database: options.athenaDatabase ?? "sparkify",
    workgroup: options.athenaWorkgroup ?? "primary",
    outputLocation: layout.athenaOutput,
  });
}

/** Stages the entry point, runs the job, fetches the CSV and the counts. */
async function runEmr(plan: RemotePlan, options: RemoteOptions, s3: S3Client, logger: RemoteLogger): Promise<RemoteResult> {
  const started = Date.now();
  await stageFiles(s3, plan.staged);
  logger.info(`Staged the Spark entry point at ${plan.layout.script}`);
  const client = new EMRServerlessClient({ region: plan.region, endpoint: plan.endpoints.emrServerless, credentials: options.credentials });
  try {
    const job = await runEmrJob(client, plan.startJobRun!, {
      pollMs: plan.pollSeconds * 1000,
      timeoutMs: plan.timeoutSeconds * 1000,
      logger,
      signal: options.signal,
      handleSigint: options.handleSigint,
    });
    const work = path.join(options.outDir, "remote");
    const { text } = await fetchSparkCsv(s3, plan.layout.output, work);
    const dataReport = await fetchSparkReport(s3, plan.layout.report);
    const result = await writeFeatures(text, options, plan.layout.output, dataReport, logger);
    return { ...result, engine: "emr-serverless", jobId: job.jobRunId, outputLocation: plan.layout.output, logLocation: job.logLocation, remoteSeconds: (Date.now() - started) / 1000 };
  } finally {
    client.destroy();
  }
}

/** Runs the Athena statements in order within one time budget, then fetches both results. */
async function runAthena(plan: RemotePlan, options: RemoteOptions, s3: S3Client, logger: RemoteLogger): Promise<RemoteResult> {
  const started = Date.now();
  const deadline = started + plan.timeoutSeconds * 1000;
  const client = new AthenaClient({ region: plan.region, endpoint: plan.endpoints.athena, credentials: options.credentials });
  const work = path.join(options.outDir, "remote");
  fs.mkdirSync(work, { recursive: true });
  try {
    const results: Record<string, { id: string; location: string }> = {};
    for (const step of plan.athenaSteps ?? []) {
      if (Date.now() >= deadline) {
        throw new SparkifyError("E_REMOTE_TIMEOUT", `Athena: the time limit of ${plan.timeoutSeconds} s ran out before the ${step.what} statement; raise it with --timeout SECONDS.`);
      }
      const q = await runAthenaQuery(client, step.request, {
        what: step.what,
        pollMs: plan.pollSeconds * 1000,
        timeoutMs: Math.max(0, deadline - Date.now()),
        logger,
        signal: options.signal,
        handleSigint: options.handleSigint,
      });
      results[step.what] = { id: q.queryExecutionId, location: q.resultLocation };
    }
    const features = results["features"];
    const file = path.join(work, "athena-features.csv");
    await downloadToFile(s3, features.location, file);
    const reportFile = path.join(work, "athena-report.csv");
    await downloadToFile(s3, results["report"].location, reportFile);
    const dataReport = parseAthenaReport(fs.readFileSync(reportFile, "utf8"), results["report"].location);
    const result = await writeFeatures(fs.readFileSync(file, "utf8"), options, features.location, dataReport, logger);
    return { ...result, engine: "athena", jobId: features.id, outputLocation: features.location, logLocation: features.location, remoteSeconds: (Date.now() - started) / 1000 };
  } finally {
    client.destroy();
  }
}

/** Writes the remote table to `outDir/features.csv` as the DuckDB path does, and the counts beside it. */
async function writeFeatures(text: string, options: RemoteOptions, source: string, report: RemoteDataReport, logger: RemoteLogger): Promise<Pick<RemoteResult, "csvPath" | "rows" | "columns" | "dataReport" | "table">> {
  const table = remoteFeatureTable(text, options.features, source);
  const csvPath = options.csvPath ?? path.join(options.outDir, "features.csv");
  fs.mkdirSync(path.dirname(csvPath), { recursive: true });
  await writeFeaturesCsv(table, csvPath);
  checkRemoteReport(report, source);
  writeJsonAtomic(path.join(options.outDir, "remote-data-report.json"), report);
  logger.info(`Fetched ${table.rows.length} feature rows (${table.columns.length} columns) into ${csvPath}; remote cleaning kept ${report.kept} of ${report.lines} lines.`);
  return { csvPath, rows: table.rows.length, columns: table.columns, dataReport: report, table };
}

/** Static credential values given in the options, to be redacted from every message. */
function staticSecrets(options: RemoteOptions): string[] {
  const c = options.credentials;
  if (!c) return [];
  return [c.secretAccessKey, c.sessionToken ?? "", c.accessKeyId];
}
