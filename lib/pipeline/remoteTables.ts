import * as path from "node:path";
import { Command } from "commander";
import { SparkifyError } from "../errors";
import type { FeatureTable } from "../features";
import type { DataReport } from "../store";
import {
  computeFeaturesRemote, registerRemoteOptions, remoteOptionsFromFlags, resolveRemoteFeatureOptions,
  type Engine, type RemoteDataReport, type RemoteFlags,
} from "../remote";
import type { TrainingTableOptions } from "./trainingTable";

const DAY_MS = 86_400_000;

/** Settings of a remote engine: the `--emr-*`, `--athena-*`, `--staging`, `--region` … flags. */
export type RemoteSettings = Omit<RemoteFlags, "engine">;

/** The remote-engine settings from their environment variables (SPARKIFY_*, AWS_*), as the CLI reads them. */
export function remoteSettingsFromEnv(): RemoteSettings {
  // One option table for flags and environment: let commander read the variables it declares.
  const cmd = registerRemoteOptions(new Command("env").exitOverride().allowUnknownOption());
  cmd.parse([], { from: "user" });
  const { engine: _engine, ...settings } = cmd.opts() as RemoteFlags;
  return settings;
}

/** A feature table computed where the data lives; `table` is null after a dry run. */
export interface RemoteTable {
  table: FeatureTable | null;
  dataReport?: RemoteDataReport;
}

async function remoteTable(engine: Engine, input: string, features: ReturnType<typeof resolveRemoteFeatureOptions>, settings: RemoteSettings, csvPath: string): Promise<RemoteTable> {
  const options = remoteOptionsFromFlags(settings, { input, features, outDir: path.dirname(path.resolve(csvPath)) });
  const r = await computeFeaturesRemote(engine, { ...options, csvPath: path.resolve(csvPath) });
  return { table: r.table ?? null, dataReport: r.dataReport };
}

/**
 * The training table on a remote engine. Forward mode needs one explicit cutoff: weekly and default
 * cutoffs come from the data's time range, which only the remote engine sees.
 */
export async function remoteTrainingTable(engine: Engine, input: string, options: TrainingTableOptions, settings: RemoteSettings, csvPath: string): Promise<RemoteTable> {
  const mode = options.mode ?? "forward";
  const plan = options.cutoffs;
  if (mode === "forward" && plan?.kind !== "single") {
    throw new SparkifyError("E_BAD_OPTION", `--engine ${engine} needs --cutoff ISO in forward mode: weekly and default cutoffs come from the data's time range, which only the remote engine sees.`);
  }
  const cutoffs = plan?.kind === "single" && mode === "forward" ? [plan.cutoff] : undefined;
  return remoteTable(engine, input, resolveRemoteFeatureOptions({ mode, cutoffs, horizonDays: options.horizonDays, label: options.label }), settings, csvPath);
}

/**
 * The scoring snapshot on a remote engine: forward mode at the end of the training table's last label
 * window (cutoff + horizon, which the data is known to reach); full-history without the churned users.
 */
export async function remoteSnapshot(engine: Engine, input: string, like: FeatureTable, settings: RemoteSettings, csvPath: string): Promise<FeatureTable> {
  const features = like.mode === "forward"
    ? resolveRemoteFeatureOptions({ mode: "forward", cutoffs: [Math.max(...like.cutoffs) + like.horizonDays * DAY_MS], horizonDays: like.horizonDays, label: like.label })
    : resolveRemoteFeatureOptions({ mode: "full-history", label: like.label });
  const { table } = await remoteTable(engine, input, features, settings, csvPath);
  if (!table) throw new Error("remote snapshot: no table came back");
  return like.mode === "forward" ? table : { ...table, rows: table.rows.filter((r) => r.churn !== 1) };
}

/** The remote cleaning counts in the data report's shape (malformed lines count as quarantined). */
export function remoteDataReport(input: string, r: RemoteDataReport | undefined): DataReport {
  const counts = r ?? { lines: 0, kept: 0, dropped: {}, malformed: 0 };
  return {
    lines: counts.lines, kept: counts.kept, dropped: { ...counts.dropped }, flagged: {}, quarantined: counts.malformed,
    quarantineFile: null, sources: [{ source: input, lines: counts.lines, bytes: 0 }],
  };
}
