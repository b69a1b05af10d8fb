import * as path from "node:path";
import { SparkifyError } from "../errors";
import { ENGINES, REMOTE_ENGINES, isRemoteEngine, notGiven, planTimeRange, type Engine, type EngineName, type FeatureQueryRenderer, type RemoteLogger, type RemoteSettings } from "../remote";
import { LocalEventSource } from "./localEventSource";
import { openEvents, type OpenEventsOptions } from "./openEvents";
import { RemoteEventSource, type RemoteEventSourceOptions } from "./remoteEventSource";
import type { EventSource } from "./types";

/** The remote logger of a quiet run: no progress output (errors still throw with their message). */
const QUIET: RemoteLogger = { info: () => undefined, progress: () => undefined, warn: () => undefined };

/** Where the events are and which engine answers: the one local-or-remote choice. */
export interface OpenEventSourceOptions extends OpenEventsOptions {
  /** "duckdb" (default: load into the local store), "emr-serverless" or "athena" (the events stay on S3). */
  engine?: EngineName | string;
  /** Settings of a remote engine (a plain object; lib/cli reads them from flags and SPARKIFY_* variables). */
  remote?: RemoteSettings;
  /** Remote: where fetched tables and counts are kept (default `out`, else the current folder). */
  workDir?: string;
  /** Remote: progress and messages (default stderr; none with `quiet`). */
  logger?: RemoteLogger;
  /** Remote dry run: where the text goes (default stdout). */
  print?: (text: string) => void;
  /** Remote: stops the job on abort. */
  signal?: AbortSignal;
  /** Remote: whether Ctrl-C stops the remote job (default true). */
  handleSigint?: boolean;
  /** Remote: names the jobs' S3 keys (default: time + random suffix). */
  runId?: string;
  /** Remote: the feature SQL renderer (tests). */
  render?: FeatureQueryRenderer;
}

/**
 * Checks the options of openEventSource without opening anything or sending anything: the engine,
 * `--dry-run` (remote engines only), the remote settings (present, complete unless a dry run) and
 * the one s3:// input. Callers that clear a run folder check first, so an option error never
 * removes an earlier run. Returns the remote source's options (null for the local engine).
 */
export function checkEventSourceOptions(options: OpenEventSourceOptions = {}): RemoteEventSourceOptions & { engine: Engine } | null {
  const engine = options.engine ?? "duckdb";
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new SparkifyError("E_BAD_OPTION", `engine must be ${ENGINES.slice(0, -1).join(", ")} or ${ENGINES[ENGINES.length - 1]}, got "${engine}".`);
  }
  if (!isRemoteEngine(engine)) {
    // The local engine sends nothing to show: a dry run would silently be a real run.
    if (options.remote?.dryRun) throw new SparkifyError("E_BAD_OPTION", `--dry-run applies to --engine ${REMOTE_ENGINES.join("|")} (the local engine ${engine} sends nothing; leave --dry-run out to run it).`);
    return null;
  }
  if (options.remote === undefined) {
    // The library reads no SPARKIFY_* variable: the caller, like the CLI, passes the settings in.
    throw new SparkifyError("E_REMOTE_CONFIG", `engine ${engine} needs its settings: pass remote (e.g. remoteSettingsFromEnv() from lib/cli/remoteOptions, which reads the SPARKIFY_* variables as the CLI does).`);
  }
  const inputs = (Array.isArray(options.input) ? options.input : options.input ? [options.input] : []).filter(Boolean);
  const dryRun = options.remote.dryRun === true;
  if (!(dryRun && inputs.length === 0) && (inputs.length !== 1 || !inputs[0].startsWith("s3://"))) {
    throw new SparkifyError("E_BAD_OPTION", `engine ${engine} needs one input s3://bucket/prefix/ (--input; the data stays where it lives)${inputs.length ? `, got ${inputs.join(", ")}` : ""}.`);
  }
  const remote: RemoteEventSourceOptions = {
    ...options.remote,
    endpoints: { ...options.remote.endpoints, s3: options.remote.endpoints?.s3 ?? options.s3Endpoint },
    input: inputs[0] ?? notGiven("input"),
    outDir: path.resolve(options.workDir ?? options.out ?? "."),
    logger: options.logger ?? (options.quiet ? QUIET : undefined),
    print: options.print,
    signal: options.signal,
    handleSigint: options.handleSigint,
    runId: options.runId,
    render: options.render,
  };
  // Planning is pure: it refuses a bad S3 URL or missing settings (a real run) the way the job would.
  planTimeRange(engine, remote);
  return { ...remote, engine };
}

/**
 * Opens the events on the engine asked for, checking the options once (checkEventSourceOptions):
 * the local DuckDB store (loads and cleans `input`, the embedded default data set when none is
 * given), or a remote engine over one `s3://bucket/prefix/` (nothing is sent until a question is asked).
 */
export async function openEventSource(options: OpenEventSourceOptions = {}): Promise<EventSource> {
  const remote = checkEventSourceOptions(options);
  if (remote) {
    const { engine, ...rest } = remote;
    return new RemoteEventSource(engine, rest);
  }
  return new LocalEventSource(await openEvents(options));
}
