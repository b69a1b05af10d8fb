import * as fs from "node:fs";
import * as path from "node:path";

/** The 4 bytes every Parquet file starts and ends with. */
const MAGIC = "PAR1";

/** True when `file` is a Parquet file (starts with its magic bytes), whatever its name. */
export function isParquetFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(4);
    return fs.readSync(fd, b, 0, 4, 0) === 4 && b.toString("latin1") === MAGIC;
  } finally {
    fs.closeSync(fd);
  }
}

/** Layout of a `sparkify-churn convert` output folder. */
export const CONVERTED = {
  /** The cleaned events: a Spark-style folder of Parquet parts with `_SUCCESS`, readable by Spark, pyarrow and DuckDB. */
  events: "events",
  /** The data report of the conversion (every input line accounted for). */
  report: "data-report.json",
  /** The lines the conversion could not load, when there were some. */
  quarantine: "quarantine.jsonl",
  /** Parquet key-value metadata of each part holding the conversion's data report (JSON). */
  metadataKey: "sparkify_churn.data_report",
} as const;

/**
 * The events folder of a `convert` output when `dir` is one (it holds data-report.json beside an
 * events/ folder), so `--input DIR` reads the events rather than the report; else null.
 */
export function convertedEventsFolder(dir: string): string | null {
  const events = path.join(dir, CONVERTED.events);
  try {
    return fs.statSync(events).isDirectory() && fs.statSync(path.join(dir, CONVERTED.report)).isFile() ? events : null;
  } catch {
    return null;
  }
}
