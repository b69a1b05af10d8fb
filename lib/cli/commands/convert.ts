import * as fs from "node:fs";
import type { Command } from "commander";
import { DEFAULT_DATASET } from "../../config";
import { SparkifyError } from "../../errors";
import { guardOutputs } from "../../io";
import { quarantineLine } from "../../pipeline/quarantineFile";
import { ensureDefaultDataset } from "../../simulate";
import { convertEvents, type ConvertResult, type StorageMode } from "../../store";
import { localInputs } from "../../inputs";
import { addStorageOption } from "../parsers";

/** Parsed flags of `sparkify-churn convert`. */
export interface ConvertFlags {
  input?: string;
  out?: string;
  storage?: StorageMode;
  s3Endpoint?: string;
  allowIncomplete?: boolean;
  quiet?: boolean;
}

/** What the command prints after a conversion: where the events are, and the line accounting. */
export function formatConvertSummary(r: ConvertResult): string {
  const dropped = Object.entries(r.report.dropped).filter(([, n]) => n > 0).map(([rule, n]) => `${rule} ${n.toLocaleString("en-US")}`);
  return [
    `wrote ${r.outDir}: ${r.report.kept.toLocaleString("en-US")} cleaned events as Parquet (zstd, sorted by user and time, ${(r.parquetBytes / 1e6).toFixed(1)} MB) in ${r.eventsDir}`,
    `  ${r.report.lines.toLocaleString("en-US")} input lines: ${r.report.kept.toLocaleString("en-US")} kept, dropped ${dropped.length ? dropped.join(", ") : "none"}, ${r.report.quarantined.toLocaleString("en-US")} quarantined; the accounting is in data-report.json`,
    `  ${quarantineLine(r.report)}`,
    `  read it back with --input ${r.outDir} (features, run and score report the original input's accounting)`,
    "",
  ].join("\n");
}

/** Runs `convert` with parsed flags: loads and cleans the input, writes it as Parquet with its report. */
export async function runConvertCommand(flags: ConvertFlags): Promise<ConvertResult> {
  if (!flags.out) throw new SparkifyError("E_BAD_OPTION", "convert: --out <folder> is required.");
  const sources = flags.input ? [flags.input] : fs.existsSync(DEFAULT_DATASET) ? [DEFAULT_DATASET] : [];
  guardOutputs(localInputs(sources, { allowIncomplete: flags.allowIncomplete }), [{ path: flags.out, what: "converted events folder", kind: "folder" }]);
  const input = flags.input ?? (await ensureDefaultDataset({ quiet: flags.quiet }));
  const result = await convertEvents(input, flags.out, {
    quiet: flags.quiet, storage: flags.storage, s3Endpoint: flags.s3Endpoint, allowIncomplete: flags.allowIncomplete,
  });
  if (!flags.quiet) process.stdout.write(formatConvertSummary(result));
  return result;
}

/** Registers `sparkify-churn convert`: cleaned, accounted events as Parquet. */
export function register(program: Command): void {
  const command = program
    .command("convert")
    .description("load and clean events once and write them as Parquet (zstd, sorted by user and time) with their data report, for runs and notebooks that read columns instead of parsing JSON")
    .option("--input <src>", "events: JSON lines (.gz too), Parquet, a folder of part files, a glob or s3:// URL (default: the embedded default data set)")
    .option("--out <folder>", "output folder: events/ (Parquet parts and _SUCCESS), data-report.json, quarantine.jsonl; written whole, replacing an earlier conversion")
    .option("--s3-endpoint <url>", "S3-compatible endpoint for s3:// inputs (else AWS_ENDPOINT_URL_S3)")
    .option("--allow-incomplete", "load a folder of part files that has no _SUCCESS marker (its writer did not finish)")
    .option("--quiet", "no progress output")
    .addHelpText("after", "\nExample:\n  sparkify-churn convert --input data/sparkify-mini.jsonl --out data/interim/events\n  sparkify-churn run --input data/interim/events --out out/\n")
    .action(async (flags: ConvertFlags) => {
      await runConvertCommand(flags);
    });
  addStorageOption(command); // "auto" means "files" here: the conversion reads the events once more anyway
}
