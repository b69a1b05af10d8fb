import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { SparkifyError } from "../../errors";
import { DAY_MS } from "../../events/time";
import { computeFeatures, DEFAULT_HORIZON_DAYS, eventTimeRange, writeFeaturesCsv, type FeatureMode, type FeatureOptions, type FeatureTable, type LabelKind, type TimeRange } from "../../features";
import { ensureDefaultDataset } from "../../simulate";
import { EventStore, type DataReport, type StorageMode } from "../../store";
import { featuresMetaPath } from "../../features/featuresCsv";
import { guardOutputs, writeJsonAtomic, type OutputSpec } from "../../io";
import { localInputs } from "../../inputs/resolveSources";
import { DEFAULT_DATASET } from "../../config";
import { quarantinePathFor, quarantineLine } from "../../pipeline/quarantineFile";
import { refuseRunArtefact } from "../../pipeline/runManifest";
import { addStorageOption, parseChoice, parseIsoTime, parseNumber } from "../parsers";
import {
  ENGINES, computeFeaturesRemote, isRemoteEngine, registerRemoteOptions, remoteOptionsFromFlags, resolveRemoteFeatureOptions, type RemoteFlags,
} from "../../remote";

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
  engine: FeatureEngine;
  storage?: StorageMode;
  quiet?: boolean;
  /** Load a part-file folder without its _SUCCESS marker. */
  allowIncomplete?: boolean;
}

/** The feature options the flags ask for. */
export function featureOptionsFromFlags(flags: FeaturesFlags): FeatureOptions {
  return { mode: flags.mode, cutoffs: flags.cutoff, horizonDays: flags.horizon, label: flags.label };
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

/**
 * Computes the table on the chosen engine and returns it with the data's time range. DuckDB loads
 * `--input` into an EventStore (and writes `--report`). A remote engine gets its own case here: it
 * renders the query with renderFeatureQuery(dialect, await resolveCutoffs(range, options)), runs it
 * where the data lives and turns the rows into the table with featureTableFromRows.
 */
async function computeWithEngine(flags: FeaturesFlags, options: FeatureOptions): Promise<{ table: FeatureTable | null; range: TimeRange; report?: DataReport }> {
  if (isRemoteEngine(flags.engine)) {
    if (!flags.input) throw new SparkifyError("E_BAD_OPTION", `features: --engine ${flags.engine} needs --input s3://bucket/prefix/ (the data stays where it lives).`);
    const out = path.resolve(flags.out!);
    const remote = remoteOptionsFromFlags(flags, { input: flags.input, features: resolveRemoteFeatureOptions(options), outDir: path.dirname(out) });
    const result = await computeFeaturesRemote(flags.engine, { ...remote, csvPath: out });
    if (flags.report && result.dataReport) writeJsonAtomic(flags.report, result.dataReport);
    // A dry run sends nothing and writes nothing; the remote data's time range is not known here.
    return { table: result.table ?? null, range: { minTs: null, maxTs: null } };
  }
  const input = flags.input ?? (await ensureDefaultDataset({ quiet: flags.quiet }));
  const store = await EventStore.open(input, {
    quiet: flags.quiet, s3Endpoint: flags.s3Endpoint, storage: flags.storage, allowIncomplete: flags.allowIncomplete, quarantineFile: quarantinePathFor(flags.out!),
  });
  try {
    const table = await computeFeatures(store, options);
    const range = await eventTimeRange(store);
    store.checkInputs(); // the files read must still be the files loaded
    if (flags.report) await store.writeReport(flags.report);
    return { table, range, report: store.report };
  } finally {
    await store.close();
  }
}

/** Warnings about cutoffs the data cannot serve well (labels cut short, no rows). */
export function cutoffWarnings(table: FeatureTable, range: TimeRange): string[] {
  if (table.mode !== "forward" || range.minTs === null || range.maxTs === null) return [];
  const out: string[] = [];
  for (const c of table.cutoffs) {
    if (c + table.horizonDays * DAY_MS > range.maxTs + 1) {
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
  const { table, range, report } = await computeWithEngine(flags, featureOptionsFromFlags(flags));
  if (!table) return null;
  if (!flags.quiet) for (const w of cutoffWarnings(table, range)) process.stderr.write(`warning: ${w}\n`);
  await writeFeaturesCsv(table, flags.out);
  if (!flags.quiet) process.stdout.write(formatFeatureSummary(flags.out, table) + (report ? `  ${quarantineLine(report)}\n` : ""));
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
    .option("--cutoff <iso>", "cutoff time T (forward mode; repeat or comma-separate to stack several); default: the data's last event minus the horizon, at UTC midnight",
      (value: string, previous: number[] | undefined) => [...(previous ?? []), ...value.split(",").map((v) => cutoffParser(v.trim()))])
    .option("--horizon <days>", "label horizon H in days (forward mode)", parsePositiveDays, DEFAULT_HORIZON_DAYS)
    .addOption(new Option("--label <kind>", "what counts as churn").argParser(parseChoice("--label", ["cancel", "cancel-or-downgrade"] as const)).default("cancel"))
    .option("--out <file>", "features CSV to write (its settings go to <file>.json)")
    .option("--report <file>", "also write the data report (line accounting of the load) as JSON")
    .addOption(new Option("--engine <name>", "where the feature query runs").argParser(parseChoice("--engine", FEATURE_ENGINES)).default("duckdb"))
    .option("--quiet", "no progress output")
    .option("--allow-incomplete", "load a folder of part files that has no _SUCCESS marker (its writer did not finish)")
    .addHelpText("after", "\nExamples:\n  sparkify-churn features --input data/sparkify-mini.jsonl --out out/features.csv\n  sparkify-churn features --cutoff 2018-11-05 --cutoff 2018-11-12 --horizon 14 --out out/features.csv\n  sparkify-churn features --mode full-history --label cancel-or-downgrade --out out/features-full.csv\n")
    .action(async (flags: FeaturesFlags) => {
      await runFeaturesCommand(flags);
    });
  addStorageOption(command);
  registerRemoteOptions(command);
}
