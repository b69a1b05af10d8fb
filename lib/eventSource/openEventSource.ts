import * as path from "node:path";
import { SparkifyError } from "../errors";
import { ENGINES, isRemoteEngine, type EngineName, type FeatureQueryRenderer, type RemoteLogger, type RemoteSettings } from "../remote";
import { LocalEventSource } from "./localEventSource";
import { openEvents, type OpenEventsOptions } from "./openEvents";
import { RemoteEventSource } from "./remoteEventSource";
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
 * Opens the events on the engine asked for, checking the options once: the local DuckDB store
 * (loads and cleans `input`, the embedded default data set when none is given), or a remote engine
 * over one `s3://bucket/prefix/` (nothing is sent until a question is asked).
 */
export async function openEventSource(options: OpenEventSourceOptions = {}): Promise<EventSource> {
  const engine = options.engine ?? "duckdb";
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new SparkifyError("E_BAD_OPTION", `engine must be ${ENGINES.slice(0, -1).join(", ")} or ${ENGINES[ENGINES.length - 1]}, got "${engine}".`);
  }
  if (isRemoteEngine(engine)) {
    const inputs = (Array.isArray(options.input) ? options.input : options.input ? [options.input] : []).filter(Boolean);
    if (inputs.length !== 1 || !inputs[0].startsWith("s3://")) {
      throw new SparkifyError("E_BAD_OPTION", `engine ${engine} needs one input s3://bucket/prefix/ (--input; the data stays where it lives)${inputs.length ? `, got ${inputs.join(", ")}` : ""}.`);
    }
    return new RemoteEventSource(engine, {
      ...options.remote,
      endpoints: { ...options.remote?.endpoints, s3: options.remote?.endpoints?.s3 ?? options.s3Endpoint },
      input: inputs[0],
      outDir: path.resolve(options.workDir ?? options.out ?? "."),
      logger: options.logger ?? (options.quiet ? QUIET : undefined),
      print: options.print,
      signal: options.signal,
      handleSigint: options.handleSigint,
      runId: options.runId,
      render: options.render,
    });
  }
  return new LocalEventSource(await openEvents(options));
}
