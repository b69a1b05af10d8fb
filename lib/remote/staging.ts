import { randomBytes } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../errors";
import { joinS3, putText, requireS3Url } from "../inputs/s3";

/** Where one run's staged files, output and logs live on S3. */
export interface RunLayout {
  runId: string;
  /** `<staging>/runs/<runId>/`. */
  root: string;
  /** The PySpark entry point. */
  script: string;
  /** The rendered SQL, staged beside the script so people can read what ran. */
  query: string;
  /** Spark writes the feature CSV under this prefix. */
  output: string;
  /** Spark writes the cleaning counts (JSON) under this prefix. */
  report: string;
  /** Spark driver and executor logs (EMR Serverless monitoring configuration). */
  logs: string;
  /** Athena query results. */
  athenaOutput: string;
}

/** A new run id: UTC time plus a random suffix, safe in S3 keys, job names and client tokens. */
export function newRunId(now: Date = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${t}-${randomBytes(3).toString("hex")}`;
}

/** The stand-in a dry run shows for a setting not given, e.g. `<region: not given>`. */
export function notGiven(setting: string): string {
  return `<${setting}: not given>`;
}

/** Whether `value` is a notGiven stand-in (a dry run's placeholder). */
export function isNotGiven(value: string): boolean {
  return /^<[^<>]+: not given>$/.test(value);
}

/**
 * Lays out a run under the staging prefix; explicit log and Athena locations win. A notGiven
 * staging (dry run) lays the run out under the placeholder, so the dry run shows every key.
 */
export function planRunLayout(
  staging: string,
  runId: string,
  overrides: { logs?: string; athenaOutput?: string } = {},
): RunLayout {
  if (!/^[A-Za-z0-9TZ_.-]+$/.test(runId)) throw new SparkifyError("E_REMOTE_CONFIG", `Run id "${runId}" may hold only letters, digits, ".", "_" and "-".`);
  let base = staging;
  if (!isNotGiven(staging)) {
    const loc = requireS3Url(staging, "--staging");
    base = `s3://${loc.bucket}/${loc.key}`;
  }
  const root = joinS3(base, "runs", runId) + "/";
  return {
    runId,
    root,
    script: joinS3(root, "job", "features.py"),
    query: joinS3(root, "job", "query.sql"),
    output: joinS3(root, "output", "features") + "/",
    report: joinS3(root, "output", "report") + "/",
    logs: overrides.logs ? withSlash(overrides.logs) : joinS3(base, "logs") + "/",
    athenaOutput: overrides.athenaOutput ? withSlash(overrides.athenaOutput) : joinS3(base, "athena") + "/",
  };
}

/** One file to stage. */
export interface StagedFile {
  url: string;
  body: string;
  contentType: string;
}

/** Uploads the staged files (script, query) in order. */
export async function stageFiles(s3: S3Client, files: readonly StagedFile[]): Promise<void> {
  for (const f of files) await putText(s3, f.url, f.body, f.contentType);
}

/** Appends "/" to an S3 prefix if it lacks one. */
function withSlash(url: string): string {
  requireS3Url(url, "an S3 prefix");
  return url.endsWith("/") ? url : url + "/";
}
