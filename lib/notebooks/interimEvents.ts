import * as fs from "node:fs";
import * as path from "node:path";
import { ensureDefaultDataset } from "../simulate";
import { CONVERTED, SUCCESS_MARKER, isS3Url, resolveLocal } from "../inputs";
import { convertEvents, type ConvertResult, type DataReport } from "../store";

/**
 * The hand-over between notebooks, laid out as cookiecutter-data-science does (raw → interim →
 * processed): 02-clean writes the cleaned, accounted events as Parquet into an interim folder
 * (`data/interim/` by default: `events/` and `data-report.json`), and 03–05 read those columns
 * instead of parsing the raw JSON again, when the folder is a conversion of the same input.
 */

/** Which events a notebook after 02-clean reads, and the sentence it prints to say so. */
export interface NotebookEvents {
  /** What to pass as `input` to `openEvents` / `buildTrainingTable` / `buildSnapshot`. */
  input: string;
  /** True when `input` is 02-clean's Parquet folder, false when it is the raw input. */
  interim: boolean;
  /** One sentence saying which events are read and why. */
  sentence: string;
}

/** The input as a reader names it: the embedded default data set when `input` is "". */
async function rawInput(input: string): Promise<string> {
  return input !== "" ? input : ensureDefaultDataset({ quiet: true });
}

/** Writes the cleaned, accounted events of `input` ("" = the embedded default) as Parquet into `dir` (02-clean's hand-over to 03–05). */
export async function writeInterimEvents(input: string, dir: string): Promise<ConvertResult> {
  return convertEvents(await rawInput(input), dir, { quiet: true });
}

/** The data report of the conversion in `dir`, or null when `dir` holds no finished conversion. */
function interimReport(dir: string): DataReport | null {
  const events = path.join(dir, CONVERTED.events);
  if (!fs.existsSync(path.join(events, SUCCESS_MARKER))) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, CONVERTED.report), "utf8")) as DataReport;
  } catch {
    return null;
  }
}

/**
 * Why the conversion in `dir` (whose data report is `report`) is not the cleaned form of `input` as it
 * is now, or null when it is: for local inputs the same files with the same sizes, none changed after
 * the conversion; for S3 every converted object under the given URL.
 */
function mismatch(report: DataReport, input: string, dir: string): string | null {
  const converted = report.sources.map((s) => s.source);
  if (isS3Url(input)) return converted.length > 0 && converted.every((s) => s.startsWith(input)) ? null : "were converted from another input";
  let files: string[];
  try {
    files = resolveLocal(input).map((f) => path.resolve(f));
  } catch {
    return "cannot be matched with an input that does not resolve (the load below says why)";
  }
  const now = new Map(files.map((f) => [f, fs.statSync(f)]));
  const same = converted.length === files.length && report.sources.every((s) => now.get(path.resolve(s.source))?.size === s.bytes);
  if (!same) return "were converted from another input";
  const convertedAt = fs.statSync(path.join(dir, CONVERTED.report)).mtimeMs;
  return [...now.values()].some((st) => st.mtimeMs > convertedAt) ? "are older than the input, which changed after 02-clean converted it" : null;
}

/**
 * The events 03–05 read: 02-clean's Parquet in `dir` when it is a finished conversion of `input` (""
 * = the embedded default) as the input is now, else the raw input itself. A remote engine always
 * reads the raw input where it lives.
 */
export async function notebookEvents(input: string, dir: string, options: { engine?: string } = {}): Promise<NotebookEvents> {
  const engine = options.engine ?? "duckdb";
  const name = input === "" ? "the embedded default data set" : input;
  if (engine !== "duckdb") {
    return { input, interim: false, sentence: `Events: the raw input ${name}, read by ${engine} where it lives (02-clean's Parquet in ${dir} is local to this machine).` };
  }
  const report = interimReport(dir);
  if (!report) {
    return { input, interim: false, sentence: `Events: loading and cleaning the raw input ${name} here, since ${dir} holds no cleaned events from 02-clean (run 02-clean first, with the same input, to read them as Parquet instead).` };
  }
  const why = mismatch(report, await rawInput(input), dir);
  if (why) {
    return { input, interim: false, sentence: `Events: loading and cleaning the raw input ${name} here; the cleaned events in ${dir} ${why}, so they are not used (run 02-clean again with this input to refresh them).` };
  }
  return { input: dir, interim: true, sentence: `Events: the cleaned events 02-clean wrote as Parquet to ${dir} (from ${name}, ${report.kept.toLocaleString("en")} events), read as columns instead of parsing the raw JSON again.` };
}
