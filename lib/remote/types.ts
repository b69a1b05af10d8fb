import type { FeatureTable, ResolvedFeatureOptions } from "../features/types";

/** The remote engines that can compute the feature table where the data lives. */
export const REMOTE_ENGINES = ["emr-serverless", "athena"] as const;

/** A remote engine name. */
export type Engine = (typeof REMOTE_ENGINES)[number];

/** The SQL dialects the remote engines speak (the renderer's names). */
export type RemoteDialect = "spark" | "trino";

/** The resolved feature options (mode, cutoffs, horizonDays, label), passed to the renderer. */
export type RemoteFeatureOptions = ResolvedFeatureOptions;

/** Renders the feature query for a dialect (lib/sql's `renderFeatureQuery` by default). */
export type FeatureQueryRenderer = (dialect: RemoteDialect, options: RemoteFeatureOptions) => string;

/** Where progress and messages go; every line passes through the credential redactor first. */
export interface RemoteLogger {
  /** A message worth keeping (submitted job, log location, fetched result). */
  info(message: string): void;
  /** A progress line that the next one replaces on a terminal (state, elapsed time). */
  progress(message: string): void;
  /** A warning (e.g. a cancellation that could not be confirmed). */
  warn(message: string): void;
}

/** Every engine the feature query can run on; duckdb (embedded) is the default. */
export const ENGINES = ["duckdb", ...REMOTE_ENGINES] as const;
/** An engine name, local or remote. */
export type EngineName = (typeof ENGINES)[number];

/** Whether an engine name is one of the remote engines. */
export function isRemoteEngine(engine: string | undefined): engine is Engine {
  return (REMOTE_ENGINES as readonly string[]).includes(engine ?? "");
}

/**
 * Settings of a remote engine: where and how it runs, as a plain object. The library reads no flag
 * and no SPARKIFY_* variable; lib/cli builds this object from them (AWS_* variables the SDK reads itself).
 */
export interface RemoteSettings {
  /** AWS region (lib/cli reads it from --region, AWS_REGION or AWS_DEFAULT_REGION; the library reads no environment). */
  region?: string;
  /** Endpoint overrides (S3-compatible stores, VPC endpoints, local stand-ins in tests). */
  endpoints?: { emrServerless?: string; athena?: string; s3?: string };
  /** Credentials for every client (else the SDK's default chain: env, profile, SSO, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** EMR Serverless application id (a Spark application, created once; see docs/remote-engines.md). */
  applicationId?: string;
  /** IAM role the Spark job runs as. */
  executionRoleArn?: string;
  /** Extra spark-submit parameters (e.g. "--conf spark.executor.cores=4"). */
  sparkSubmitParameters?: string;
  /** Where Spark driver/executor logs go; default `<staging>/logs/`. */
  emrLogUri?: string;
  /** `s3://bucket/prefix/` for the staged script, the job output and the logs. */
  staging?: string;
  /** Athena database holding the external events table (created if missing). */
  athenaDatabase?: string;
  /** Athena workgroup (default "primary"). */
  athenaWorkgroup?: string;
  /** Athena query results location `s3://…/`; default `<staging>/athena/`. */
  athenaOutput?: string;
  /** Time limit of the remote job or query, seconds (default 3600); past it the job is stopped. */
  timeoutSeconds?: number;
  /** Seconds between state polls (default 10). */
  pollSeconds?: number;
  /** Print the rendered SQL, the staged script and the requests; send nothing. Settings not given show as placeholders. */
  dryRun?: boolean;
}

/** Options of one remote job (a query over the cleaned events): the settings plus where and what. */
export interface RemoteJobOptions extends RemoteSettings {
  /** The JSON-lines events: an `s3://bucket/prefix/` (a folder of part files, .gz allowed). */
  input: string;
  /** The run folder: fetched results (`remote/`) and the remote cleaning counts are written here. */
  outDir: string;
  /** Messages and progress (default: stderr). */
  logger?: RemoteLogger;
  /** Aborting it stops the remote job or query (Ctrl-C does the same while polling). */
  signal?: AbortSignal;
  /** Where the dry-run text goes (default: stdout). */
  print?: (text: string) => void;
  /** Identifies this run in S3 keys and job names (default: time + random suffix). */
  runId?: string;
  /** Whether to install a SIGINT handler that stops the remote work on Ctrl-C (default true). */
  handleSigint?: boolean;
}

/** Options of one remote feature computation. */
export interface RemoteOptions extends RemoteJobOptions {
  /** The resolved feature options (mode, cutoff(s), horizonDays, label), passed to the renderer. */
  features: RemoteFeatureOptions;
  /** Where the feature table goes instead of `<outDir>/features.csv` (e.g. `features --out`). */
  csvPath?: string;
  /** Feature SQL renderer (default: lib/features' renderFeatureQuery). */
  render?: FeatureQueryRenderer;
}

/** Counts the remote job reports about the cleaning it applied (lines = kept + dropped + malformed). */
export interface RemoteDataReport {
  lines: number;
  kept: number;
  dropped: Record<string, number>;
  malformed: number;
}

/** What a remote computation returns. */
export interface RemoteResult {
  /** The feature table in the run folder (absent on a dry run). */
  csvPath: string;
  engine: Engine;
  /** The job run id (EMR Serverless) or query execution id (Athena); absent on a dry run. */
  jobId?: string;
  /** Where the remote output was read from. */
  outputLocation?: string;
  /** Spark driver logs (EMR Serverless) or the query's S3 results (Athena). */
  logLocation?: string;
  /** The fetched feature table, as the DuckDB path's computeFeatures returns it (absent on a dry run). */
  table?: FeatureTable;
  /** Rows of the fetched feature table (header excluded). */
  rows: number;
  /** Columns, in the renderer's order. */
  columns: string[];
  /** Counts of the remote cleaning step, when the engine reported them. */
  dataReport?: RemoteDataReport;
  /** On a dry run, the text that was printed. */
  dryRunText?: string;
  /** Seconds from submission to the end of the job. */
  remoteSeconds?: number;
}
