import type { DuckDBConnection } from "@duckdb/node-api";
import { eventsTableDdl } from "../sql/eventsTableDdl";
import { SparkifyError } from "../errors";
import type { SourceFile } from "../inputs";
import { ProgressBar } from "../progress";
import type { DataReport, QuarantineEntry } from "./dataReport";
import { loadFile, validateAll } from "./loadFile";
import { loadParquet, mergeParquetLoad, type ParquetLoad } from "./parquet/loadParquet";
import type { RuleName } from "./rules";
import { scanFiles, type ScannedInput } from "./scan/scanFiles";

/**
 * Every input line counted, and where the good rows are: nothing is copied yet, except the rows of
 * files that had to be read line by line (they are in `lineTable`). The table-wide rules are not
 * applied; `eventsAsTable` or `eventsAsView` (keptEvents.ts) make the `events` the store reads.
 */
export interface LoadedEvents {
  /** Accounting so far: lines, kept before the table-wide rules, blank lines, quarantined, sources in input order. */
  report: DataReport;
  quarantine: QuarantineEntry[];
  /** JSON-lines files proven or validated clean: their typed read (typedRead) is exact, so they are read where they are. */
  clean: SourceFile[];
  /** The table (events DDL) holding the rows loaded line by line, with their line numbers checked. */
  lineTable: string;
  /** The Parquet inputs' checks and typed reads, or null when there are none. */
  parquet: ParquetLoad | null;
  /** When the scan proved every input line (and there is no Parquet): its counts settle the table-wide rules. */
  scanned: ScannedInput | null;
}

/** How the input is loaded. */
export interface LoadEventsOptions {
  rules: Record<RuleName, boolean>;
  /** Table (created here with the events DDL) for the rows of files read line by line. */
  lineTable: string;
  /** Let the scan look for repeated event keys, so that a clean input needs no duplicate check later. */
  dedupe: boolean;
  /** No progress bar. */
  quiet?: boolean;
}

function emptyReport(): DataReport {
  return { lines: 0, kept: 0, dropped: { blank_line: 0 }, flagged: {}, quarantined: 0, quarantineFile: null, sources: [] };
}

/**
 * Loads the input the one way every storage shares. JSON lines: one scan on every core proves the
 * lines clean and counts the rules; the files it cannot prove are validated in one DuckDB scan, and
 * if a bad or blank line is among them, file by file (a clean file still stays where it is; a file
 * with bad lines is read line by line, its good rows into `lineTable`, the bad ones quarantined with
 * line number and reason). Parquet: schema and rows checked in SQL. Throws E_EMPTY_INPUT when the
 * input holds no event at all.
 */
export async function loadEvents(conn: DuckDBConnection, files: SourceFile[], opts: LoadEventsOptions): Promise<LoadedEvents> {
  await conn.run(`DROP TABLE IF EXISTS ${opts.lineTable}; ${eventsTableDdl(opts.lineTable)}`);
  const normaliseUserId = opts.rules.normalise_user_id;
  // Parquet inputs are typed: their schema and rows are checked in SQL; the scan reads JSON lines only.
  const isParquet = (f: SourceFile): boolean => f.format === "parquet";
  const jsonFiles = files.filter((f) => !isParquet(f));
  const loaded = await loadJsonLines(conn, jsonFiles, opts);
  if (jsonFiles.length < files.length) {
    loaded.parquet = await loadParquet(conn, files.filter(isParquet), { normaliseUserId });
    mergeParquetLoad(loaded.report, loaded.quarantine, loaded.parquet, files, isParquet, normaliseUserId);
    loaded.scanned = null; // the scan's counts cover the JSON files only
  }
  const { report } = loaded;
  if (report.lines - (report.dropped.blank_line ?? 0) === 0) {
    const names = files.map((f) => f.source).join(", ");
    throw new SparkifyError("E_EMPTY_INPUT", `empty input: ${names} holds no events (${report.lines} lines, all blank)`);
  }
  return loaded;
}

/** The JSON-lines part of loadEvents (Parquet not yet added). */
async function loadJsonLines(conn: DuckDBConnection, files: SourceFile[], opts: LoadEventsOptions): Promise<LoadedEvents> {
  const out: LoadedEvents = { report: emptyReport(), quarantine: [], clean: [], lineTable: opts.lineTable, parquet: null, scanned: null };
  if (files.length === 0) return out;
  const { report } = out;
  const normaliseUserId = opts.rules.normalise_user_id;
  const bar = new ProgressBar({ label: "load", totalBytes: files.reduce((s, f) => s + f.bytes, 0), quiet: opts.quiet });
  let numeric = 0;
  let rows = 0;
  let doneBytes = 0;
  try {
    // One pass on every core that proves the lines clean and counts the rules; input it cannot
    // prove (a bad line, or an unusual form of a good one) goes to the strict SQL checks below.
    const scanned = await scanFiles(files, {
      normaliseUserId,
      dropNoUser: opts.rules.no_user,
      dedupe: opts.dedupe,
      onRaw: (b) => bar.update((doneBytes += b), rows),
    });
    if (scanned.proven) {
      files.forEach((file, i) => report.sources.push({ source: file.source, lines: scanned.lines[i], bytes: file.bytes }));
      report.lines = report.kept = scanned.rows;
      if (normaliseUserId) report.flagged.normalise_user_id = scanned.numericUserIds;
      out.clean = files;
      out.scanned = scanned;
      return out;
    }
    // The files the scan proved need no other check; only the rest go to the strict SQL checks.
    const sources: Array<DataReport["sources"][number] | null> = files.map(() => null);
    const strict: number[] = [];
    scanned.files.forEach((proven, i) => {
      if (proven === null) return void strict.push(i);
      sources[i] = { source: files[i].source, lines: proven.lines, bytes: files[i].bytes };
      report.lines += proven.lines;
      report.kept += proven.lines;
      numeric += proven.numericUserIds;
      out.clean.push(files[i]);
    });
    rows = report.kept;
    const provenBytes = out.clean.reduce((sum, f) => sum + f.bytes, 0);
    doneBytes = provenBytes;
    const strictFiles = strict.map((i) => files[i]);
    const valid = await validateAll(conn, strictFiles, { normaliseUserId, onRaw: (b) => bar.update((doneBytes += b), rows) });
    if (valid) {
      // Every file left is clean: they stay where they are.
      strict.forEach((i, k) => (sources[i] = { source: files[i].source, lines: valid.lines[k], bytes: files[i].bytes }));
      report.lines += valid.rows;
      report.kept += valid.rows;
      numeric += valid.numericUserIds;
      out.clean.push(...strictFiles);
    } else {
      doneBytes = provenBytes;
      for (const i of strict) {
        const file = files[i];
        let seen = 0;
        const r = await loadFile(conn, file, {
          normaliseUserId,
          target: opts.lineTable,
          onRaw: (b) => {
            seen += b;
            bar.update(doneBytes + seen, rows);
          },
        });
        if (r.mode === "fast") out.clean.push(file);
        doneBytes += file.bytes;
        rows += r.inserted;
        bar.update(doneBytes, rows);
        report.lines += r.lines;
        report.dropped.blank_line += r.blank;
        report.quarantined += r.quarantine.length;
        report.kept += r.inserted;
        numeric += r.numericUserIds;
        out.quarantine.push(...r.quarantine);
        sources[i] = { source: file.source, lines: r.lines, bytes: file.bytes };
      }
    }
    report.sources = sources.map((x) => x!);
  } finally {
    bar.stop();
  }
  if (normaliseUserId) report.flagged.normalise_user_id = numeric;
  return out;
}
