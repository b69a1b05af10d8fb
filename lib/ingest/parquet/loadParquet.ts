import * as fs from "node:fs";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS, USER_FIELD, type EventField } from "../../events/schema";
import { SparkifyError, internalError } from "../../errors";
import type { DataReport, QuarantineEntry } from "../dataReport";
import { ident, literal } from "../../sql/quote";
import { typedSelectList } from "../validationSql";
import { CONVERTED, type SourceFile } from "../../inputs";
import { planColumns, wrongTypeError, type ColumnPlan } from "./parquetSchema";

/** What loading the Parquet inputs found. */
export interface ParquetLoad {
  /** Rows of each file (counted as its "lines"), in the order given. */
  sources: Array<{ source: string; lines: number; bytes: number }>;
  rows: number;
  /** Rows loaded (before the table-wide rules). */
  kept: number;
  /** Loaded rows whose userId column is an integer (normalised to its decimal string). */
  numericUserIds: number;
  quarantine: QuarantineEntry[];
  /** SELECTs of the typed, good rows, one per group of files with one schema (the files-storage view reads them). */
  reads: string[];
  /** The data report `convert` stored in every file's metadata, when all files carry the same one. */
  converted: DataReport | null;
  /** That conversion's quarantine file (beside its events folder), when it is there. */
  convertedQuarantine: string | null;
}

/** How the Parquet inputs are checked. */
export interface ParquetLoadOptions {
  normaliseUserId: boolean;
}

/** Longest quarantined text kept in quarantine.jsonl (as for JSON lines). */
const MAX_TEXT = 2000;
/** Name of the file-name column DuckDB adds (a name no event field has). */
const FILE_COL = "_sparkify_file";

const EXPECTED_INT: Record<string, string> = { INTEGER: "a 32-bit integer", BIGINT: "a 64-bit integer" };

async function rowsOf(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0];
}

/** The columns (name, DuckDB type) of one Parquet file, or a clear error naming it. */
async function describe(conn: DuckDBConnection, file: SourceFile): Promise<Array<{ name: string; type: string }>> {
  try {
    const rows = await rowsOf(conn, `DESCRIBE SELECT * FROM read_parquet(${literal(file.path)})`);
    return rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  } catch (err) {
    throw new SparkifyError("E_INPUT_FORMAT", `${file.source} is not a readable Parquet file: ${firstLine(err)}`, { cause: err });
  }
}

function readParquet(files: SourceFile[], withFile: boolean): string {
  const list = `[${files.map((f) => literal(f.path)).join(", ")}]`;
  return withFile ? `read_parquet(${list}, filename=${literal(FILE_COL)}, file_row_number=true)` : `read_parquet(${list})`;
}

/** SQL giving a row's quarantine reason, or NULL for a good row: the JSON path's rules on typed columns. */
function reasonSql(plan: ColumnPlan[], normaliseUserId: boolean): string {
  const by = new Map(plan.map((p) => [p.field, p]));
  const whens: string[] = [];
  for (const f of REQUIRED_FIELDS) {
    const missing = literal(`missing field "${f}"`);
    whens.push(by.get(f)!.use === "null" ? `WHEN true THEN ${missing}` : `WHEN ${ident(f)} IS NULL THEN ${missing}`);
  }
  const order: EventField[] = [...REQUIRED_FIELDS, USER_FIELD, ...OPTIONAL_FIELDS];
  for (const f of order) {
    const p = by.get(f)!;
    const c = ident(f);
    if (p.rangeCheck) {
      const t = EVENT_COLUMN_TYPES[f];
      whens.push(`WHEN ${c} IS NOT NULL AND TRY_CAST(${c} AS ${t}) IS NULL THEN ${literal(`wrong type for "${f}": ${p.source.toLowerCase()} `)} || CAST(${c} AS VARCHAR) || ${literal(`, expected ${EXPECTED_INT[t]}`)}`);
    }
    if (p.finiteCheck) {
      whens.push(`WHEN ${c} IS NOT NULL AND NOT isfinite(${c}) THEN ${literal(`wrong type for "${f}": `)} || lower(CAST(${c} AS VARCHAR)) || ${literal(", expected a finite number")}`);
    }
    if (p.numericUserId && !normaliseUserId) {
      whens.push(`WHEN ${c} IS NOT NULL THEN ${literal(`wrong type for "${f}": ${p.source.toLowerCase()}, expected a string`)}`);
    }
  }
  return `CASE ${whens.join(" ")} ELSE NULL END`;
}

/** The typed value of one field (rows failing a check never reach it; TRY_CAST only guards the range-checked casts). */
function typedColumn(p: ColumnPlan): string {
  const t = EVENT_COLUMN_TYPES[p.field];
  if (p.use === "null") return `CAST(NULL AS ${t})`;
  if (p.use === "as-is") return ident(p.field);
  return `${p.rangeCheck ? "TRY_CAST" : "CAST"}(${ident(p.field)} AS ${t})`;
}

/** The row as JSON for quarantine.jsonl (every field, as the file holds it). */
function rowJson(): string {
  return `left(to_json({${EVENT_FIELDS.map((f) => `${literal(f)}: ${ident(f)}`).join(", ")}}), ${MAX_TEXT})`;
}

/** The data report every file's metadata carries, when all carry the same one (a `convert` output). */
async function convertedReport(conn: DuckDBConnection, files: SourceFile[]): Promise<DataReport | null> {
  let rows: unknown[][];
  try {
    rows = await rowsOf(conn, `SELECT file_name, decode(value) FROM parquet_kv_metadata([${files.map((f) => literal(f.path)).join(", ")}]) WHERE decode(key) = ${literal(CONVERTED.metadataKey)}`);
  } catch {
    return null;
  }
  const values = new Set(rows.map((r) => String(r[1])));
  if (rows.length !== files.length || values.size !== 1) return null;
  try {
    return JSON.parse([...values][0]) as DataReport;
  } catch {
    return null;
  }
}

/**
 * Checks and loads Parquet files (Spark's re-export or a `convert` output) with the JSON path's
 * rules: each file's schema is checked (a missing field, or a column of another type holding values,
 * is an error naming the file and the column), then every row is counted as loaded or quarantined
 * with the reason the JSON path would give (missing required field, value out of range, an integer
 * userId when normalise_user_id is off). Files of one schema are read in one DuckDB scan.
 */
export async function loadParquet(conn: DuckDBConnection, files: SourceFile[], opts: ParquetLoadOptions): Promise<ParquetLoad> {
  const groups = new Map<string, { plan: ColumnPlan[]; files: SourceFile[] }>();
  for (const file of files) {
    const columns = await describe(conn, file);
    const { plan, wrongTypes } = planColumns(file.source, columns, opts.normaliseUserId);
    for (const w of wrongTypes) {
      // Spark infers a JSON field that is always null as a string column: acceptable while it holds no value.
      const [[n]] = await rowsOf(conn, `SELECT count(${ident(w.field)})::BIGINT FROM read_parquet(${literal(file.path)})`);
      if (Number(n as bigint) > 0) throw wrongTypeError(file.source, w, Number(n as bigint));
    }
    const key = JSON.stringify([columns, plan]);
    const g = groups.get(key) ?? { plan, files: [] };
    g.files.push(file);
    groups.set(key, g);
  }
  const byPath = new Map(files.map((f, i) => [f.path, i]));
  const lines = files.map(() => 0);
  const out: ParquetLoad = { sources: [], rows: 0, kept: 0, numericUserIds: 0, quarantine: [], reads: [], converted: null, convertedQuarantine: null };
  for (const g of groups.values()) {
    const reason = reasonSql(g.plan, opts.normaliseUserId);
    const nu = g.plan.find((p) => p.field === USER_FIELD)!.numericUserId && opts.normaliseUserId ? `${ident(USER_FIELD)} IS NOT NULL` : "false";
    let stats: unknown[][];
    try {
      stats = await rowsOf(conn, `SELECT ${FILE_COL}, count(*)::BIGINT, count(reason)::BIGINT, count(*) FILTER (WHERE reason IS NULL AND nu)::BIGINT
        FROM (SELECT ${FILE_COL}, ${reason} AS reason, ${nu} AS nu FROM ${readParquet(g.files, true)}) GROUP BY ${FILE_COL}`);
    } catch (err) {
      throw new SparkifyError("E_INPUT_FORMAT", `cannot read the Parquet file(s) ${g.files.map((f) => f.source).join(", ")}: ${firstLine(err)}`, { cause: err });
    }
    let bad = 0;
    for (const [file, n, b, u] of stats) {
      const i = byPath.get(String(file));
      if (i === undefined) throw internalError(`loadParquet: DuckDB named an unexpected file ${String(file)}`);
      lines[i] = Number(n as bigint);
      bad += Number(b as bigint);
      out.numericUserIds += Number(u as bigint);
    }
    if (bad > 0) {
      const rows = await rowsOf(conn, `SELECT ${FILE_COL}, file_row_number::BIGINT, reason, text FROM (
          SELECT ${FILE_COL}, file_row_number, ${reason} AS reason, ${rowJson()} AS text FROM ${readParquet(g.files, true)})
        WHERE reason IS NOT NULL ORDER BY ${FILE_COL}, file_row_number`);
      for (const [file, row, why, text] of rows) {
        out.quarantine.push({ file: files[byPath.get(String(file))!].source, line: Number(row as bigint) + 1, reason: String(why), text: String(text) });
      }
    }
    const read = `SELECT ${typedSelectList((f) => typedColumn(g.plan.find((p) => p.field === f)!))} FROM ${readParquet(g.files, false)}${bad > 0 ? ` WHERE (${reason}) IS NULL` : ""}`;
    out.reads.push(read);
  }
  files.forEach((f, i) => out.sources.push({ source: f.source, lines: lines[i], bytes: f.bytes }));
  out.rows = lines.reduce((a, b) => a + b, 0);
  out.kept = out.rows - out.quarantine.length;
  out.converted = await convertedReport(conn, files);
  if (out.converted && out.converted.quarantined > 0) out.convertedQuarantine = convertedQuarantine(files[0].path);
  return out;
}

/** Where a `convert` output's quarantine file is, seen from one of its Parquet parts (null when absent). */
function convertedQuarantine(part: string): string | null {
  const file = path.join(path.dirname(path.dirname(path.resolve(part))), CONVERTED.quarantine);
  return fs.existsSync(file) ? file : null;
}

/**
 * Adds the Parquet files' accounting to a report of the JSON inputs (the sources in the order the
 * inputs were given). When every input is a `convert` output read back unchanged (nothing
 * quarantined or dropped now, as many rows as it kept), the report becomes the conversion's: the
 * lines of the original input with their rules and quarantine, and `convertedFiles` the parts read.
 */
export function mergeParquetLoad(
  report: DataReport,
  quarantine: QuarantineEntry[],
  pq: ParquetLoad,
  files: SourceFile[],
  isParquet: (f: SourceFile) => boolean,
  normaliseUserId: boolean,
): void {
  const json = report.sources[Symbol.iterator]();
  const parquet = pq.sources[Symbol.iterator]();
  report.sources = files.map((f) => (isParquet(f) ? parquet.next().value! : json.next().value!));
  report.lines += pq.rows;
  report.kept += pq.kept;
  report.quarantined += pq.quarantine.length;
  quarantine.push(...pq.quarantine);
  if (normaliseUserId) report.flagged.normalise_user_id = (report.flagged.normalise_user_id ?? 0) + pq.numericUserIds;
}

/**
 * After the table-wide rules: when every input was one `convert` output read back unchanged, the
 * report takes the conversion's counts (the original lines, rules and quarantine; `kept` is checked
 * equal), and lists the Parquet parts read in `convertedFiles`. Else it is left as it is.
 */
export function adoptConvertedReport(report: DataReport, pq: ParquetLoad | null): void {
  const c = pq?.converted;
  if (!pq || !c || pq.sources.length !== report.sources.length) return;
  const dropped = Object.values(report.dropped).reduce((s, n) => s + n, 0);
  if (report.quarantined !== 0 || dropped !== 0 || report.kept !== c.kept || report.flagged.nulls_kept !== c.flagged.nulls_kept) return;
  const files = pq.sources.map((s) => ({ source: s.source, rows: s.lines, bytes: s.bytes }));
  report.lines = c.lines;
  report.dropped = { ...c.dropped };
  report.flagged = { ...c.flagged };
  report.quarantined = c.quarantined;
  report.sources = c.sources.map((s) => ({ ...s }));
  report.quarantineFile = pq.convertedQuarantine;
  report.convertedFiles = files;
}
