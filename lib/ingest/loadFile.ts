import { isUtf8 } from "node:buffer";
import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENT_FIELDS, type EventField } from "../events/schema";
import { SparkifyError } from "../errors";
import { forEachLine, countLines, type SourceFile } from "../inputs";
import type { QuarantineEntry } from "./dataReport";
import { ident, literal } from "../sql/quote";
import { columnSpec, numericUserIdSql, reasonSql, transformStructure, typedSelectList } from "./validationSql";

/** What loading one file into `events` found. */
export interface FileLoadResult {
  /** Lines in the (decompressed) file. */
  lines: number;
  /** Empty or whitespace-only lines. */
  blank: number;
  /** Rows appended to `events` (before the table-wide rules). */
  inserted: number;
  /** Inserted rows whose userId was a JSON number. */
  numericUserIds: number;
  quarantine: QuarantineEntry[];
  /**
   * "fast": the file is clean (DuckDB validated every row; nothing copied: its rows are read from
   * the file, see typedRead); "lines": read line by line with line numbers, good rows in `target`.
   */
  mode: "fast" | "lines";
}

/** How one file is loaded. */
export interface FileLoadOptions {
  normaliseUserId: boolean;
  /** Table that receives the good rows of a file read line by line (the events DDL). */
  target: string;
  onRaw?: (bytes: number) => void;
}

/** Lines per batch on the line-by-line path (bounds memory for huge files with a few bad lines). */
const BATCH_LINES = 100_000;
/** Longest quarantined text kept in quarantine.jsonl. */
const MAX_TEXT = 2000;

/** `read_ndjson` over files of one compression with the given columns. */
function readNdjson(files: SourceFile[], spec: string): string {
  const paths = `[${files.map((f) => literal(f.path)).join(", ")}]`;
  return `read_ndjson(${paths}, columns=${spec}, compression=${literal(files[0]?.gzip ? "gzip" : "uncompressed")})`;
}

/** Row count, bad rows and JSON-number userIds of files, checked with the same SQL as line by line. */
function statsSql(files: SourceFile[], normaliseUserId: boolean): string {
  const groups = [false, true].map((gz) => files.filter((f) => f.gzip === gz)).filter((g) => g.length > 0);
  const scans = groups.map((g) => `SELECT ${reasonSql(ident, normaliseUserId)} AS reason, ${numericUserIdSql(ident)} AS nu FROM ${readNdjson(g, columnSpec("JSON"))}`);
  return `SELECT count(*)::BIGINT AS n, count(reason)::BIGINT AS bad, count(*) FILTER (WHERE nu)::BIGINT AS nu FROM (${scans.join(" UNION ALL ")})`;
}

/** What validateAll found when every file is clean. */
export interface CleanInput {
  /** Lines of each file, in the order given. */
  lines: number[];
  rows: number;
  numericUserIds: number;
}

/**
 * Validates all files in one DuckDB scan (one query over many part files runs faster than one
 * per file) while Node counts their lines. Null when any file has a bad or blank line: the caller
 * then loads file by file to find them.
 */
export async function validateAll(
  conn: DuckDBConnection,
  files: SourceFile[],
  opts: { normaliseUserId: boolean; onRaw?: (bytes: number) => void },
): Promise<CleanInput | null> {
  const countAll = async (): Promise<number[]> => {
    const out: number[] = [];
    for (const f of files) out.push(await countLines(f, opts.onRaw));
    return out;
  };
  const [counted, stats] = await Promise.allSettled([countAll(), conn.runAndReadAll(statsSql(files, opts.normaliseUserId)).then((r) => r.getRows()[0])]);
  if (counted.status === "rejected") throw counted.reason; // a broken gzip or unreadable file: clear error
  if (stats.status === "rejected") return null;
  const [n, bad, nu] = stats.value.map((v) => Number(v as bigint));
  const lines = counted.value;
  if (bad > 0 || n !== lines.reduce((a, b) => a + b, 0)) return null;
  return { lines, rows: n, numericUserIds: nu };
}

/**
 * Loads one file. Fast path: DuckDB validates every row's field types (read_ndjson with JSON
 * columns) while Node counts the lines; a clean file (no bad row, no blank line, as many rows as
 * lines) is done: its rows are read from the file later (typedRead). Otherwise the file goes line
 * by line, so every bad line is quarantined with its number and reason.
 */
export async function loadFile(conn: DuckDBConnection, file: SourceFile, opts: FileLoadOptions): Promise<FileLoadResult> {
  const fast = await tryFastPath(conn, file, opts);
  if (fast) return fast;
  return loadLineByLine(conn, file, opts.normaliseUserId, opts.target);
}

/** The typed events of clean files of one compression (DuckDB casts leniently: validate first). */
export function typedRead(files: SourceFile[]): string {
  return `SELECT ${typedSelectList(ident)} FROM ${readNdjson(files, columnSpec("typed"))}`;
}

async function tryFastPath(conn: DuckDBConnection, file: SourceFile, opts: FileLoadOptions): Promise<FileLoadResult | null> {
  const [counted, stats] = await Promise.allSettled([
    countLines(file, opts.onRaw),
    conn.runAndReadAll(statsSql([file], opts.normaliseUserId)).then((r) => r.getRows()[0]),
  ]);
  if (counted.status === "rejected") throw counted.reason; // a broken gzip or unreadable file: clear error
  if (stats.status === "rejected") return null; // malformed JSON somewhere: find it line by line
  const lines = counted.value;
  const [n, bad, nu] = stats.value.map((v) => Number(v as bigint));
  if (bad > 0 || n !== lines) return null;
  return { lines, blank: 0, inserted: n, numericUserIds: nu, quarantine: [], mode: "fast" };
}

function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function preview(line: Buffer): string {
  return line.subarray(0, MAX_TEXT * 4).toString("utf8").slice(0, MAX_TEXT);
}

async function loadLineByLine(conn: DuckDBConnection, file: SourceFile, normaliseUserId: boolean, target: string): Promise<FileLoadResult> {
  await conn.run("CREATE OR REPLACE TEMP TABLE _lines (lineno BIGINT, line VARCHAR)");
  const paths = `[${EVENT_FIELDS.map((f) => literal(`$.${f}`)).join(", ")}]`;
  const get = (f: EventField): string => `j[${EVENT_FIELDS.indexOf(f) + 1}]`;
  const checkSql = `CREATE OR REPLACE TEMP TABLE _checked AS
    SELECT lineno, line, j IS NOT NULL AS obj,
      CASE WHEN NOT valid THEN 'invalid JSON'
           WHEN j IS NULL THEN 'not a JSON object: ' || lower(json_type(line))
           ELSE ${reasonSql(get, normaliseUserId)} END AS reason,
      CASE WHEN j IS NOT NULL THEN ${numericUserIdSql(get)} ELSE false END AS nu
    FROM (SELECT lineno, line, valid,
            CASE WHEN valid THEN CASE WHEN json_type(line) = 'OBJECT' THEN json_extract(line, ${paths}) END END AS j
          FROM (SELECT lineno, line, json_valid(line) AS valid FROM _lines))`;
  const insertSql = `INSERT INTO ${target} SELECT ${typedSelectList((f) => `s.${ident(f)}`)}
    FROM (SELECT json_transform(line, ${literal(transformStructure())}) AS s FROM _checked WHERE reason IS NULL)`;

  const result: FileLoadResult = { lines: 0, blank: 0, inserted: 0, numericUserIds: 0, quarantine: [], mode: "lines" };
  let objects = 0;
  let checked = 0;
  let firstLine: string | null = null;
  const notJsonLines = (nonBlank: number): SparkifyError =>
    new SparkifyError(
      "E_INPUT_FORMAT",
      `${file.source} is not JSON lines: none of its ${nonBlank} non-blank lines${nonBlank >= BATCH_LINES ? " read so far" : ""} is a JSON object (line ${result.quarantine[0]?.line ?? 1}: ${JSON.stringify(firstLine)}); expected one JSON event per line`,
    );
  let pending = 0;
  let appender = await conn.createAppender("_lines");

  const flush = async (): Promise<void> => {
    appender.closeSync();
    if (pending > 0) {
      await conn.run(checkSql);
      const [counts] = (await conn.runAndReadAll(
        "SELECT count(*) FILTER (WHERE reason IS NULL)::BIGINT, count(*) FILTER (WHERE reason IS NULL AND nu)::BIGINT, count(*) FILTER (WHERE obj)::BIGINT FROM _checked",
      )).getRows();
      await conn.run(insertSql);
      result.inserted += Number(counts[0] as bigint);
      result.numericUserIds += Number(counts[1] as bigint);
      objects += Number(counts[2] as bigint);
      const bad = (await conn.runAndReadAll(
        `SELECT lineno::BIGINT, reason, left(line, ${MAX_TEXT}) FROM _checked WHERE reason IS NOT NULL ORDER BY lineno`,
      )).getRows();
      for (const [ln, reason, text] of bad) {
        result.quarantine.push({ file: file.source, line: Number(ln as bigint), reason: String(reason), text: String(text) });
      }
      await conn.run("DELETE FROM _lines");
      checked += pending;
      // A big file without a single JSON object (a CSV, a pretty-printed array) stops early
      // instead of quarantining millions of lines.
      if (objects === 0 && checked >= BATCH_LINES) throw notJsonLines(result.quarantine.length);
    }
    pending = 0;
    appender = await conn.createAppender("_lines");
  };

  result.lines = await forEachLine(file, async (raw, n) => {
    // A UTF-8 byte order mark (Windows editors write one) is not part of the first event.
    const line = n === 1 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.subarray(3) : raw;
    if (firstLine === null && !isBlank(line)) firstLine = preview(line).slice(0, 80);
    if (isBlank(line)) {
      result.blank++;
    } else if (line.includes(0)) {
      // A raw NUL can never be in valid JSON, and C strings would cut the line there.
      result.quarantine.push({ file: file.source, line: n, reason: "invalid JSON (NUL byte)", text: preview(line) });
    } else if (!isUtf8(line)) {
      result.quarantine.push({ file: file.source, line: n, reason: "invalid UTF-8", text: preview(line) });
    } else {
      appender.appendBigInt(BigInt(n));
      appender.appendVarchar(line.toString("utf8"));
      appender.endRow();
      if (++pending >= BATCH_LINES) await flush();
    }
  });
  await flush();
  appender.closeSync();
  await conn.run("DROP TABLE IF EXISTS _lines; DROP TABLE IF EXISTS _checked");
  result.quarantine.sort((a, b) => a.line - b.line);

  if (objects === 0 && result.lines > result.blank) throw notJsonLines(result.lines - result.blank);
  return result;
}
