import * as fs from "node:fs";
import * as path from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { SparkifyError } from "../errors";
import { parseCsv } from "../io/csv";
import { downloadToFile, getText, listObjects } from "../inputs/s3";
import type { TimeRange } from "../features/types";
import type { RemoteDataReport } from "./types";

/**
 * Downloads the CSV part files Spark wrote under `prefix` into `dir` and joins them into one CSV
 * text (one header; the parts must agree on it). Returns the text and the objects read.
 */
export async function fetchSparkCsv(s3: S3Client, prefix: string, dir: string): Promise<{ text: string; parts: string[] }> {
  const listed = await listObjects(s3, prefix);
  const parts = listed.filter((o) => /\.csv$/.test(o.key) && !path.posix.basename(o.key).startsWith("_"));
  if (parts.length === 0) {
    const seen = listed.map((o) => o.key).join(", ") || "nothing";
    throw new SparkifyError("E_REMOTE_OUTPUT", `The job ended SUCCESS but wrote no CSV under ${prefix} (found: ${seen}).`);
  }
  fs.mkdirSync(dir, { recursive: true });
  let header: string | null = null;
  const chunks: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const file = path.join(dir, `part-${String(i).padStart(5, "0")}.csv`);
    await downloadToFile(s3, parts[i].url, file);
    const text = fs.readFileSync(file, "utf8");
    const nl = text.indexOf("\n");
    const first = nl < 0 ? text : text.slice(0, nl);
    // coalesce(1) gives one part; an empty part of a multi-part output has no header at all.
    if (text.length === 0) continue;
    if (header === null) {
      header = first;
      chunks.push(text.endsWith("\n") ? text : text + "\n");
    } else {
      if (first !== header) throw new SparkifyError("E_REMOTE_OUTPUT", `${parts[i].url}: its header differs from the first part's.`);
      const body = nl < 0 ? "" : text.slice(nl + 1);
      chunks.push(body.endsWith("\n") || body === "" ? body : body + "\n");
    }
  }
  if (header === null) throw new SparkifyError("E_REMOTE_OUTPUT", `Every CSV part under ${prefix} is empty: the job wrote no header.`);
  return { text: chunks.join(""), parts: parts.map((p) => p.url) };
}

/** Reads the cleaning counts the PySpark entry point wrote (JSON text part files under `prefix`). */
export async function fetchSparkReport(s3: S3Client, prefix: string): Promise<RemoteDataReport> {
  const listed = (await listObjects(s3, prefix)).filter((o) => path.posix.basename(o.key).startsWith("part-") && o.size > 0);
  if (listed.length !== 1) throw new SparkifyError("E_REMOTE_OUTPUT", `Expected one report part under ${prefix}, found ${listed.length}.`);
  const text = (await getText(s3, listed[0].url)).trim();
  let report: RemoteDataReport;
  try {
    report = JSON.parse(text) as RemoteDataReport;
  } catch (err) {
    throw new SparkifyError("E_REMOTE_OUTPUT", `${listed[0].url} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return checkRemoteReport(report, listed[0].url);
}

/** Reads the counts row of the Athena report query's CSV result. */
export function parseAthenaReport(csv: string, source: string): RemoteDataReport {
  const rows = parseCsv(csv, source, { code: "E_REMOTE_OUTPUT" });
  if (rows.length !== 2) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: expected a header and one row, got ${rows.length} rows.`);
  const get = (name: string): number => {
    const i = rows[0].findIndex((h: string | null) => (h ?? "").toLowerCase() === name);
    const v = Number(rows[1][i] ?? "x");
    if (i < 0 || !Number.isInteger(v)) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: column ${name} is missing or not a count.`);
    return v;
  };
  const lines = get("lines");
  const missing = get("missing_field");
  const noUser = get("no_user");
  const kept = get("kept");
  // The JSON SerDe turns a malformed line into an all-null row, so it is counted as missing_field.
  return checkRemoteReport({ lines, kept, dropped: { missing_field: missing, no_user: noUser, duplicate: lines - missing - noUser - kept }, malformed: 0 }, source);
}

/**
 * Reads the time-range query's CSV result (columns min_ts and max_ts, any case; Spark or Athena
 * quoting): epoch milliseconds, or null for both when no event was kept.
 */
export function parseTimeRangeCsv(csv: string, source: string): TimeRange {
  const rows = parseCsv(csv, source, { code: "E_REMOTE_OUTPUT" });
  if (rows.length !== 2) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: expected a header and one row of min_ts, max_ts, got ${rows.length} rows.`);
  const get = (name: string): number | null => {
    const i = rows[0].findIndex((h) => (h ?? "").toLowerCase() === name);
    if (i < 0) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: column ${name} is missing.`);
    const cell = rows[1][i];
    if (cell === null || cell === "") return null;
    const v = Number(cell);
    if (!/^-?\d+$/.test(cell) || !Number.isSafeInteger(v)) throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: ${name} should be whole epoch milliseconds, got "${cell}".`);
    return v;
  };
  const minTs = get("min_ts");
  const maxTs = get("max_ts");
  if ((minTs === null) !== (maxTs === null) || (minTs !== null && maxTs !== null && minTs > maxTs)) {
    throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: not a time range: min_ts ${minTs}, max_ts ${maxTs}.`);
  }
  return { minTs, maxTs };
}

/** Checks that the counts add up (lines = kept + dropped + malformed), as the local store does. */
export function checkRemoteReport(r: RemoteDataReport, source: string): RemoteDataReport {
  const dropped = Object.values(r.dropped ?? {}).reduce((a, b) => a + b, 0);
  if (![r.lines, r.kept, r.malformed].every(Number.isInteger) || r.lines !== r.kept + dropped + r.malformed || Object.values(r.dropped ?? {}).some((v) => !Number.isInteger(v) || v < 0)) {
    throw new SparkifyError("E_REMOTE_OUTPUT", `${source}: the cleaning counts do not add up: ${JSON.stringify(r)}.`);
  }
  return r;
}
