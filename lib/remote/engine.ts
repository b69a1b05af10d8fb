import * as fs from "node:fs";
import * as path from "node:path";
import { AthenaClient } from "@aws-sdk/client-athena";
import { EMRServerlessClient } from "@aws-sdk/client-emr-serverless";
import type { S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../errors";
import { writeFeaturesCsv } from "../features/featuresCsv";
import { writeJsonAtomic } from "../io/atomicWrite";
import { renderFeatureQuery } from "../features/renderFeatureQuery";
import { timeRangeQuery } from "../features/resolveCutoffs";
import type { TimeRange } from "../features/types";
import { runAthenaQuery } from "./athena";
import { formatDryRun } from "./dryRun";
import { runEmrJob } from "./emrServerless";
import { checkRemoteReport, fetchSparkCsv, fetchSparkReport, parseAthenaReport, parseTimeRangeCsv } from "./fetchResult";
import { remoteFeatureTable } from "./remoteFeatureTable";
import { planAthena, planEmrServerless, type PlanBase, type RemotePlan, type RemoteQueryKind } from "./planRemote";
import { redact, redactingLogger } from "./redactingLogger";
import { createS3Client, downloadToFile, requireS3Url } from "../inputs/s3";
import { isNotGiven, newRunId, notGiven, planRunLayout, stageFiles } from "./staging";
import { stderrLogger } from "./stderrLogger";
import { REMOTE_ENGINES, type Engine, type RemoteDataReport, type RemoteDialect, type RemoteJobOptions, type RemoteLogger, type RemoteOptions, type RemoteResult } from "./types";

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
  checkEngine(engine);
  const plan = planRun(engine, options);
  if (options.dryRun) {
    const text = printDryRun(plan, options);
    return { csvPath: "", engine, rows: 0, columns: [], dryRunText: text };
  }
  const fetched = await runPlan(plan, options);
  const result = await writeFeatures(fetched.text, options, fetched.outputLocation, fetched.dataReport!, fetched.logger);
  return { ...result, engine, jobId: fetched.jobId, outputLocation: fetched.outputLocation, logLocation: fetched.logLocation, remoteSeconds: fetched.remoteSeconds };
}

/**
 * The first and last event time of the cleaned events where they live: one small query (Athena) or
 * job (EMR Serverless) over the same cleaning as the feature query, for the default cutoffs.
 * Null after a dry run, which prints the plan and sends nothing.
 */
export async function remoteTimeRange(engine: Engine, options: RemoteJobOptions): Promise<TimeRange | null> {
  checkEngine(engine);
  const plan = planTimeRange(engine, options);
  if (options.dryRun) {
    printDryRun(plan, options);
    return null;
  }
  const fetched = await runPlan(plan, options);
  const range = parseTimeRangeCsv(fetched.text, fetched.outputLocation);
  fetched.logger.info(`The events at ${options.input} span ${range.minTs === null ? "nothing (no event kept)" : `${new Date(range.minTs).toISOString()} … ${new Date(range.maxTs!).toISOString()}`}.`);
  return range;
}

/** Validates the options and builds the plan of the feature query (pure: no request is sent). */
export function planRun(engine: Engine, options: RemoteOptions): RemotePlan {
  if (options.features.mode === "forward" && options.features.cutoffs.length === 0) {
    // The caller resolves the cutoffs first, from remoteTimeRange when none were given.
    throw new SparkifyError("E_REMOTE_CONFIG", "Forward mode on a remote engine needs its cutoffs resolved before the feature query is planned: pass --cutoff ISO, or let the time-range query find the default.");
  }
  const render = options.render ?? renderFeatureQuery;
  return planQuery(engine, options, "features", (dialect) => render(dialect, options.features), options.runId);
}

/** Validates the options and builds the plan of the time-range query (pure: no request is sent). */
export function planTimeRange(engine: Engine, options: RemoteJobOptions): RemotePlan {
  // Its own run id: EMR Serverless takes the run id as the idempotency token of the job.
  return planQuery(engine, options, "time range", () => timeRangeQuery(), options.runId ? `${options.runId}-range` : undefined);
}

/**
 * Validates the settings and plans one query. A real run refuses without a region, a staging prefix
 * and (EMR Serverless) an application and role; a dry run shows `<setting: not given>` for them.
 */
function planQuery(engine: Engine, options: RemoteJobOptions, what: RemoteQueryKind, sqlFor: (dialect: RemoteDialect) => string, runId: string | undefined): RemotePlan {
  const missing: string[] = [];
  const setting = (value: string | undefined, name: string, flag: string): string => {
    if (value) return value;
    missing.push(flag);
    return notGiven(name);
  };
  // The library reads no environment: lib/cli maps AWS_REGION (else AWS_DEFAULT_REGION) to --region.
  const region = setting(options.region, "region", "--region (AWS_REGION)");
  const input = options.input;
  if (isNotGiven(input)) missing.push("--input s3://bucket/prefix/");
  else requireS3Url(input, "--input (a remote engine reads the events where they are)");
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_REMOTE_TIMEOUT_SECONDS;
  const pollSeconds = options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  if (!(timeoutSeconds > 0)) throw new SparkifyError("E_REMOTE_CONFIG", `--timeout must be positive, got ${timeoutSeconds}.`);
  if (!(pollSeconds > 0)) throw new SparkifyError("E_REMOTE_CONFIG", `The poll interval must be positive, got ${pollSeconds}.`);
  const staging = setting(options.staging ?? (engine === "athena" && options.athenaOutput ? options.athenaOutput : undefined), "staging", "--staging s3://bucket/prefix/ (SPARKIFY_STAGING)");
  const applicationId = engine === "emr-serverless" ? setting(options.applicationId, "emr-application", "--emr-application (SPARKIFY_EMR_APPLICATION)") : "";
  const executionRoleArn = engine === "emr-serverless" ? setting(options.executionRoleArn, "emr-role", "--emr-role (SPARKIFY_EMR_ROLE)") : "";
  if (missing.length > 0 && !options.dryRun) {
    throw new SparkifyError("E_REMOTE_CONFIG", `${engine} needs ${missing.join(" and ")}; see docs/remote-engines.md (--dry-run shows what would be sent without them).`);
  }
  const layout = planRunLayout(staging, runId ?? newRunId(), { logs: options.emrLogUri, athenaOutput: options.athenaOutput });
  const base: PlanBase = { what, missing, region, endpoints: { ...options.endpoints }, input, layout, pollSeconds, timeoutSeconds };
  if (engine === "emr-serverless") {
    return planEmrServerless(base, sqlFor("spark"), { applicationId, executionRoleArn, sparkSubmitParameters: options.sparkSubmitParameters });
  }
  return planAthena(base, sqlFor("trino"), {
    database: options.athenaDatabase ?? "sparkify",
    workgroup: options.athenaWorkgroup ?? "primary",
    outputLocation: layout.athenaOutput,
  });
}

function checkEngine(engine: string): void {
  if (!(REMOTE_ENGINES as readonly string[]).includes(engine)) {
    throw new SparkifyError("E_BAD_OPTION", `Unknown remote engine "${engine}": use one of ${REMOTE_ENGINES.join(", ")}.`);
  }
}

/** Prints the dry-run text of a plan (credentials redacted) and returns it. */
function printDryRun(plan: RemotePlan, options: RemoteJobOptions): string {
  const text = redact(formatDryRun(plan), staticSecrets(options));
  (options.print ?? ((t: string) => process.stdout.write(t)))(text);
  return text;
}

/** What a finished remote query left: its CSV text, the cleaning counts (feature query) and where it ran. */
interface Fetched {
  text: string;
  dataReport?: RemoteDataReport;
  jobId: string;
  outputLocation: string;
  logLocation: string;
  remoteSeconds: number;
  logger: RemoteLogger;
}

/** Runs a plan on its engine (stage, start, poll, fetch), with every message redacted. */
async function runPlan(plan: RemotePlan, options: RemoteJobOptions): Promise<Fetched> {
  const logger = redactingLogger(options.logger ?? stderrLogger(), staticSecrets(options));
  fs.mkdirSync(options.outDir, { recursive: true });
  const s3 = createS3Client({ region: plan.region, endpoint: plan.endpoints.s3, credentials: options.credentials });
  try {
    const fetched = plan.engine === "emr-serverless"
      ? await runEmr(plan, options, s3, logger)
      : await runAthena(plan, options, s3, logger);
    return { ...fetched, logger };
  } catch (err) {
    // SDK errors can quote request details; nothing that leaves here may carry a secret.
    if (err instanceof Error) err.message = redact(err.message, staticSecrets(options));
    throw err;
  } finally {
    s3.destroy();
  }
}

/** Stages the entry point, runs the job, fetches the CSV and the counts. */
async function runEmr(plan: RemotePlan, options: RemoteJobOptions, s3: S3Client, logger: RemoteLogger): Promise<Omit<Fetched, "logger">> {
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
    const work = path.join(options.outDir, "remote", plan.what === "features" ? "" : "time-range");
    const { text } = await fetchSparkCsv(s3, plan.layout.output, work);
    const dataReport = plan.what === "features" ? await fetchSparkReport(s3, plan.layout.report) : undefined;
    return { text, dataReport, jobId: job.jobRunId, outputLocation: plan.layout.output, logLocation: job.logLocation, remoteSeconds: (Date.now() - started) / 1000 };
  } finally {
    client.destroy();
  }
}

/** Runs the Athena statements in order within one time budget, then fetches both results. */
async function runAthena(plan: RemotePlan, options: RemoteJobOptions, s3: S3Client, logger: RemoteLogger): Promise<Omit<Fetched, "logger">> {
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
    const main = results[plan.what];
    const file = path.join(work, plan.what === "features" ? "athena-features.csv" : "athena-time-range.csv");
    await downloadToFile(s3, main.location, file);
    let dataReport: RemoteDataReport | undefined;
    if (plan.what === "features") {
      const reportFile = path.join(work, "athena-report.csv");
      await downloadToFile(s3, results["report"].location, reportFile);
      dataReport = parseAthenaReport(fs.readFileSync(reportFile, "utf8"), results["report"].location);
    }
    return { text: fs.readFileSync(file, "utf8"), dataReport, jobId: main.id, outputLocation: main.location, logLocation: main.location, remoteSeconds: (Date.now() - started) / 1000 };
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
function staticSecrets(options: RemoteJobOptions): string[] {
  const c = options.credentials;
  if (!c) return [];
  return [c.secretAccessKey, c.sessionToken ?? "", c.accessKeyId];
}
