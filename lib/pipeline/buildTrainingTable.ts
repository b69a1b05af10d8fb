import * as path from "node:path";
import { SparkifyError } from "../errors";
import { writeFeaturesCsv, type FeatureTable } from "../features";
import { openEventSource, type EventSource, type TrainingTableOptions } from "../eventSource";
import type { RemoteSettings } from "../remote";

/** Where a notebook's features come from: the run's input on DuckDB, or a remote engine. */
export interface TableSource {
  /** "duckdb" (default), "emr-serverless" or "athena". */
  engine?: string;
  input?: string;
  /** Run folder (quarantine.jsonl goes there). */
  out: string;
  quiet?: boolean;
  /** Settings of a remote engine, a plain object (lib/cli's remoteSettingsFromEnv reads them from the SPARKIFY_* variables). */
  remote?: RemoteSettings;
}

/** Opens the source's events for one question (openEventSource checks the options), with the remote engine's files beside `csvPath`. */
async function withSource<T>(source: TableSource, csvPath: string, ask: (events: EventSource) => Promise<T>): Promise<T> {
  const events = await openEventSource({
    engine: source.engine, input: source.input, out: source.out, quiet: source.quiet ?? true, remote: source.remote, workDir: path.dirname(path.resolve(csvPath)),
  });
  try {
    return await ask(events);
  } finally {
    await events.close();
  }
}

/** The training table, on DuckDB or on a remote engine (whose table is also written to `csvPath` as features.csv). */
export async function buildTrainingTable(source: TableSource, options: TrainingTableOptions, csvPath: string): Promise<FeatureTable> {
  return withSource(source, csvPath, async (events) => {
    const table = await events.trainingTable(options);
    if (!table) throw new SparkifyError("E_BAD_OPTION", `a dry run on ${events.engine} computes no feature table: set dryRun false in the remote settings.`);
    if (events.remote) await writeFeaturesCsv(table, csvPath);
    return table;
  });
}

/** The features of the users to score now, on the engine the training table came from (a remote one also writes them to `csvPath`). */
export async function buildSnapshot(source: TableSource, like: FeatureTable, csvPath: string): Promise<FeatureTable> {
  return withSource(source, csvPath, async (events) => {
    const table = await events.snapshot(like);
    if (events.remote) await writeFeaturesCsv(table, csvPath);
    return table;
  });
}
