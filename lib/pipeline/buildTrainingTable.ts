import { SparkifyError } from "../errors";
import type { FeatureTable } from "../features";
import { isRemoteEngine } from "../remote";
import { openEvents } from "./openEvents";
import { remoteSettingsFromEnv, remoteSnapshot, remoteTrainingTable } from "./remoteTables";
import { snapshotFeatures } from "./snapshotFeatures";
import { trainingTable, type TrainingTableOptions } from "./trainingTable";

/** Where a notebook's features come from: the run's input on DuckDB, or a remote engine. */
export interface TableSource {
  /** "duckdb" (default), "emr-serverless" or "athena"; remote settings come from the environment (SPARKIFY_*, AWS_*). */
  engine?: string;
  input?: string;
  /** Run folder (quarantine.jsonl goes there). */
  out: string;
  quiet?: boolean;
}

function remoteInput(source: TableSource): string {
  if (!source.input) throw new SparkifyError("E_BAD_OPTION", `engine ${source.engine} needs input = "s3://bucket/prefix/": the data stays where it lives.`);
  return source.input;
}

/** The training table, on DuckDB or on a remote engine; written to `csvPath` as features.csv. */
export async function buildTrainingTable(source: TableSource, options: TrainingTableOptions, csvPath: string): Promise<FeatureTable> {
  const engine = source.engine ?? "duckdb";
  if (isRemoteEngine(engine)) {
    const { table } = await remoteTrainingTable(engine, remoteInput(source), options, remoteSettingsFromEnv(), csvPath);
    if (!table) throw new Error("the remote engine returned no feature table");
    return table;
  }
  if (engine !== "duckdb") throw new SparkifyError("E_BAD_OPTION", `engine must be duckdb, emr-serverless or athena, got "${engine}".`);
  const store = await openEvents({ input: source.input, out: source.out, quiet: source.quiet ?? true });
  try {
    return await trainingTable(store, options);
  } finally {
    await store.close();
  }
}

/** The features of the users to score now, on the engine the training table came from. */
export async function buildSnapshot(source: TableSource, like: FeatureTable, csvPath: string): Promise<FeatureTable> {
  const engine = source.engine ?? "duckdb";
  if (isRemoteEngine(engine)) return remoteSnapshot(engine, remoteInput(source), like, remoteSettingsFromEnv(), csvPath);
  const store = await openEvents({ input: source.input, out: source.out, quiet: source.quiet ?? true });
  try {
    return await snapshotFeatures(store, like);
  } finally {
    await store.close();
  }
}
