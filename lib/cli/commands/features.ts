import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { SparkifyError } from "../../errors";
import { DEFAULT_HORIZON_DAYS, writeFeaturesCsv, type FeatureMode, type FeatureTable, type LabelKind, type TimeRange } from "../../features";
import type { DataReport, StorageMode } from "../../store";
import { featuresMetaPath } from "../../features/featuresCsv";
import { guardOutputs, type OutputSpec } from "../../io";
import { localInputs } from "../../inputs";
import { DEFAULT_DATASET } from "../../config";
import { quarantinePathFor, quarantineLine } from "../../pipeline/quarantineFile";
import { refuseRunArtefact } from "../../pipeline/runManifest";
import { labelWindowClosed, openEventSource, type TrainingTableOptions } from "../../eventSource";
import { ENGINES, isRemoteEngine } from "../../remote";
import { addStorageOption, parseChoice, parseIsoTime, parseNumber } from "../parsers";
import { registerRemoteOptions, remoteSettingsFromFlags, type RemoteFlags } from "../remoteOptions";

/** Engines `features --engine` accepts: the embedded DuckDB (default), EMR Serverless or Athena. */
export const FEATURE_ENGINES = ENGINES;
/** One of FEATURE_ENGINES. */
export type FeatureEngine = (typeof FEATURE_ENGINES)[number];

/** Parsed flags of `sparkify-churn features`. */
export interface FeaturesFlags extends Omit<RemoteFlags, "engine"> {
  input?: string;
  mode: FeatureMode;
  cutoff?: number[];
  horizon: number;
  label: LabelKind;
  out?: string;
  report?: string;
  /** Where the feature query runs (registerRemoteOptions: --engine or SPARKIFY_ENGINE, as for run and score); default duckdb. */
  engine?: FeatureEngine;
  storage?: StorageMode;
  quiet?: boolean;
  /** Load a part-file folder without its _SUCCESS marker. */
  allowIncomplete?: boolean;
}

/** One paragraph on the table just written: rows, users, churn, mode and windows. */
export function formatFeatureSummary(out: string, t: FeatureTable): string {
  const users = new Set(t.rows.map((r) => r.userId)).size;
  const churn = t.rows.filter((r) => r.churn === 1).length;
  const pct = t.rows.length ? ((100 * churn) / t.rows.length).toFixed(1) : "0.0";
  const label = t.label === "cancel" ? "Cancellation Confirmation" : "Cancellation Confirmation or Submit Downgrade";
  const window = t.mode === "forward"
    ? `mode forward: features from events before ${t.cutoffs.map((c) => new Date(c).toISOString()).join(", ")}; churn = ${label} within ${t.horizonDays} days after`
    : `mode full-history: each user's events before churn, cancellation events removed; churn = ${label}`;
  return [
    `wrote ${out} (settings in ${out}.json)`,
    `  ${t.rows.length} rows, ${users} users, ${t.dictionary.length} features, churn ${churn} (${pct}%)`,
    `  ${window}`,
    "",
  ].join("\n");
}

/** The training-table options of the flags: the given cutoffs, else the default cutoff (not weekly ones, as `run` uses). */
export function tableOptionsFromFlags(flags: FeaturesFlags): TrainingTableOptions {
  return { mode: flags.mode, cutoffs: flags.cutoff?.length ? { kind: "list", cutoffs: flags.cutoff } : { kind: "default" }, horizonDays: flags.horizon, label: flags.label };
}

/**
 * Computes the table on the chosen engine (the event source: the local store loads `--input`, a
 * remote engine computes it where the data lives) and returns it with the data's time range, as
 * far as it is known, and the data report (also written to `--report`).
 */
async function computeWithEngine(flags: FeaturesFlags): Promise<{ table: FeatureTable | null; range: TimeRange | null; report?: DataReport; remote: boolean }> {
  const out = path.resolve(flags.out!);
  const source = await openEventSource({
    engine: flags.engine, input: flags.input, quiet: flags.quiet, s3Endpoint: flags.s3Endpoint, storage: flags.storage, allowIncomplete: flags.allowIncomplete,
    quarantineFile: quarantinePathFor(out), workDir: path.dirname(out), remote: remoteSettingsFromFlags(flags),
  });
  try {
    const table = await source.trainingTable(tableOptionsFromFlags(flags));
    if (!table) return { table: null, range: null, remote: source.remote }; // a dry run sends nothing and writes nothing
    const range = await source.knownTimeRange();
    source.checkInputs(); // the files read must still be the files loaded
    if (flags.report) await source.writeReport(flags.report);
    return { table, range, report: source.report ?? undefined, remote: source.remote };
  } finally {
    await source.close();
  }
}

/** Warnings about cutoffs the data cannot serve well (labels cut short, no rows). */
export function cutoffWarnings(table: FeatureTable, range: TimeRange | null): string[] {
  if (table.mode !== "forward" || range === null || range.minTs === null || range.maxTs === null) return [];
  const out: string[] = [];
  for (const c of table.cutoffs) {
    if (!labelWindowClosed(c, table.horizonDays, range)) {
      out.push(`the data ends ${new Date(range.maxTs).toISOString()}, before the label window of cutoff ${new Date(c).toISOString()} closes: churn after the data's end counts as no churn.`);
    }
    if (c <= range.minTs) out.push(`cutoff ${new Date(c).toISOString()} is not after the first event: it contributes no rows.`);
  }
  return out;
}

/** Runs `features` with parsed flags; returns the table written (null after a remote --dry-run). */
export async function runFeaturesCommand(flags: FeaturesFlags): Promise<FeatureTable | null> {
  if (!flags.out) throw new SparkifyError("E_BAD_OPTION", "features: --out <file.csv> is required.");
  if (flags.mode === "full-history" && flags.cutoff?.length) throw new SparkifyError("E_BAD_OPTION", "features: --cutoff applies to --mode forward only.");
  guardFeatureOutputs(flags);
  const { table, range, report, remote } = await computeWithEngine(flags);
  if (!table) return null;
  if (!flags.quiet) for (const w of cutoffWarnings(table, range)) process.stderr.write(`warning: ${w}\n`);
  await writeFeaturesCsv(table, flags.out);
  if (!flags.quiet) process.stdout.write(formatFeatureSummary(flags.out, table) + (report && !remote ? `  ${quarantineLine(report)}\n` : ""));
  return table;
}

/** Refuses, before any work, outputs over an input or over each other, and unwritable ones. */
function guardFeatureOutputs(flags: FeaturesFlags): void {
  const out = flags.out!;
  const outputs: OutputSpec[] = [{ path: out, what: "features table" }, { path: featuresMetaPath(out), what: "feature settings file" }];
  if (flags.report) outputs.push({ path: flags.report, what: "data report" });
  if (!isRemoteEngine(flags.engine)) outputs.push({ path: quarantinePathFor(out), what: "quarantine file" });
  const sources = flags.input ? [flags.input] : fs.existsSync(DEFAULT_DATASET) ? [DEFAULT_DATASET] : [];
  guardOutputs(isRemoteEngine(flags.engine) ? { files: [], folders: [] } : localInputs(sources, { allowIncomplete: flags.allowIncomplete }), outputs);
  for (const o of outputs) refuseRunArtefact(o.path, o.what);
}

function parsePositiveDays(value: string): number {
  const n = parseNumber("--horizon", 0)(value);
  if (n <= 0) throw new InvalidArgumentError(`--horizon must be more than 0 days, got ${n}.`);
  return n;
}

/** Registers `sparkify-churn features`: per-user features and churn labels as CSV. */
export function register(program: Command): void {
  const cutoffParser = parseIsoTime("--cutoff");
  const command = program
    .command("features")
    .description("per-user features and churn labels (leakage-free forward mode by default) as CSV")
    .option("--input <src>", "events: a JSON-lines file (.gz too), a folder of part files, a glob or s3:// URL (default: the embedded default data set)")
    .addOption(new Option("--mode <mode>", "forward: features before a cutoff, churn in the horizon after it; full-history: the classic set-up").argParser(parseChoice("--mode", ["forward", "full-history"] as const)).default("forward"))
    .option("--cutoff <iso>", "cutoff time T (forward mode; repeat or comma-separate to stack several); default: the data's last event minus the horizon, at UTC midnight (a remote engine finds it with one time-range query)",
      (value: string, previous: number[] | undefined) => [...(previous ?? []), ...value.split(",").map((v) => cutoffParser(v.trim()))])
    .option("--horizon <days>", "label horizon H in days (forward mode)", parsePositiveDays, DEFAULT_HORIZON_DAYS)
    .addOption(new Option("--label <kind>", "what counts as churn").argParser(parseChoice("--label", ["cancel", "cancel-or-downgrade"] as const)).default("cancel"))
    .option("--out <file>", "features CSV to write (its settings go to <file>.json)")
    .option("--report <file>", "also write the data report (line accounting of the load) as JSON")
    .option("--quiet", "no progress output")
    .option("--allow-incomplete", "load a folder of part files that has no _SUCCESS marker (its writer did not finish)")
    .addHelpText("after", "\nExamples:\n  sparkify-churn features --input data/sparkify-mini.jsonl --out out/features.csv\n  sparkify-churn features --cutoff 2018-11-05 --cutoff 2018-11-12 --horizon 14 --out out/features.csv\n  sparkify-churn features --mode full-history --label cancel-or-downgrade --out out/features-full.csv\n")
    .action(async (flags: FeaturesFlags) => {
      await runFeaturesCommand(flags);
    });
  addStorageOption(command);
  registerRemoteOptions(command);
}
