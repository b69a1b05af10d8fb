import * as fs from "node:fs";
import * as path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { EVENTS_TABLE } from "../events/schema";
import { SparkifyError, internalError } from "../errors";
import { literal } from "../sql/quote";
import { applyTableRules } from "./applyTableRules";
import { applyScannedRules, applyViewRules, scanSettlesRules, type ViewRulesResult } from "./applyViewRules";
import { checkReport } from "./checkReport";
import type { LoadedEvents } from "./loadEvents";
import { typedRead } from "./loadFile";
import { adoptConvertedReport } from "./parquet/loadParquet";
import type { RuleName } from "./rules";

/** What the kept events are known to hold without reading them again (null: a query finds out). */
export interface KeptFacts {
  /** First and last event time (epoch ms). */
  range: { minTs: number | null; maxTs: number | null } | null;
  /** Distinct users. */
  users: number | null;
}

/** Every loaded row before the table-wide rules, when the events stay in their files. */
const RAW_VIEW = "_raw_events";

/** The typed reads of the clean JSON files (one per compression: DuckDB reads a list with one codec). */
function cleanReads(loaded: LoadedEvents, extra: LoadedEvents["clean"] = []): string[] {
  const files = [...loaded.clean, ...extra];
  return [false, true].map((gzip) => files.filter((f) => f.gzip === gzip)).filter((g) => g.length > 0).map(typedRead);
}

/**
 * Storage "memory": the kept events become the table `events` (the rows read line by line are in
 * it already, when it is the load's line table; the clean files and the Parquet rows are copied
 * in), then the table-wide rules delete what they drop. The report is final and checked on return.
 */
export async function eventsAsTable(conn: DuckDBConnection, loaded: LoadedEvents, rules: Record<RuleName, boolean>): Promise<KeptFacts> {
  if (loaded.lineTable !== EVENTS_TABLE) throw internalError(`eventsAsTable: the load's line table must be ${EVENTS_TABLE}, got ${loaded.lineTable}`);
  // Clean lines hold only values of their field's type, so DuckDB's typed read is exact.
  for (const read of [...cleanReads(loaded), ...(loaded.parquet?.reads ?? [])]) await conn.run(`INSERT INTO ${EVENTS_TABLE} ${read}`);
  await applyTableRules(conn, rules, loaded.report);
  adoptConvertedReport(loaded.report, loaded.parquet);
  const rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${EVENTS_TABLE}`)).getRows()[0][0] as bigint);
  checkReport(loaded.report, rows);
  return { range: null, users: null };
}

/**
 * Storage "files": the kept events become the view `events` over the input files, read again on
 * every query. Rows read line by line are written to a JSON-lines file in `spillDir` and read with
 * the clean files: a table in the view (table UNION ALL JSON read) made the rules' aggregate run out
 * of memory on the full set (at limits of 600 and 800 MB), where one JSON read of the same rows
 * spills and passes. The table-wide rules are counted in one read (none when the scan settled
 * them) and applied by the view's definition. The report is final and checked on return.
 */
export async function eventsAsView(
  conn: DuckDBConnection,
  loaded: LoadedEvents,
  rules: Record<RuleName, boolean>,
  spillDir: string,
): Promise<KeptFacts> {
  const { report, lineTable } = loaded;
  const lineByLine = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${lineTable}`)).getRows()[0][0] as bigint);
  const dumped: LoadedEvents["clean"] = [];
  if (lineByLine > 0) {
    fs.mkdirSync(spillDir, { recursive: true });
    const file = path.join(spillDir, "loaded-line-by-line.jsonl");
    await conn.run(`COPY ${lineTable} TO ${literal(file)} (FORMAT json)`); // doubles round-trip exactly
    await conn.run(`DROP TABLE ${lineTable}`);
    dumped.push({ source: file, path: file, bytes: fs.statSync(file).size, gzip: false });
  }
  const parts = [...cleanReads(loaded, dumped), ...(loaded.parquet?.reads ?? [])];
  if (parts.length === 0) parts.push(`SELECT * FROM ${lineTable}`); // no event left: every line was quarantined or blank
  await conn.run(`CREATE VIEW ${RAW_VIEW} AS ${parts.join(" UNION ALL ")}`);
  let found: ViewRulesResult;
  if (loaded.scanned && scanSettlesRules(loaded.scanned, rules)) {
    // The scan counted the rows and the rules in one read: there is no second read to compare.
    found = await applyScannedRules(conn, RAW_VIEW, rules, report, loaded.scanned);
  } else {
    const loadedRows = report.kept;
    found = await applyViewRules(conn, RAW_VIEW, rules, report);
    if (found.rawRows !== loadedRows) {
      throw new SparkifyError("E_REPORT_MISMATCH", `the data report does not add up: the files hold ${found.rawRows} rows on a second read, the load counted ${loadedRows} (did a file change while loading?)`);
    }
  }
  adoptConvertedReport(report, loaded.parquet);
  checkReport(report, report.kept);
  return { range: { minTs: found.minTs, maxTs: found.maxTs }, users: found.users };
}
