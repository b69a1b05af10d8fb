// Stand-ins for the remote engines' compute, on DuckDB: they read the events from the local S3
// server, run the SQL the client actually sent (the Spark query taken out of the staged PySpark
// script, the Athena statements as received) and write the output where the real service would.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS } from "../../lib/events/schema";
import { downloadToFile, getText, listObjects } from "../../lib/inputs/s3";
import type { FakeJob } from "./fakeAwsEndpoint";
import type { RemoteHarness } from "./harness";

/** Reads the QUERY literal out of a PySpark entry point with Python's own parser. */
export function queryFromScript(script: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-script-"));
  try {
    const file = path.join(dir, "features.py");
    fs.writeFileSync(file, script);
    const py = "import ast,sys\nt=ast.parse(open(sys.argv[1]).read())\nfor n in t.body:\n  if isinstance(n,ast.Assign) and getattr(n.targets[0],'id','')=='QUERY':\n    sys.stdout.write(ast.literal_eval(n.value))\n";
    return execFileSync("/usr/bin/python3", ["-c", py, file], { encoding: "utf8" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** How Java (Spark, Trino) prints a double: "12.0", "0.75", "1.0E-4". */
export function javaDouble(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (Math.abs(x) < 1e-3) return x.toExponential().replace(/e([-+])(\d+)/, (_, sign: string, d: string) => `E${sign === "-" ? "-" : ""}${d}`).replace(/^(-?\d)E/, "$1.0E");
  return String(x);
}

/**
 * DuckDB macros standing in for the functions Spark SQL and Trino name differently (the renderings
 * hash artists with xxhash64; DuckDB's own rendering uses hash(), so the stand-in does too and the
 * distinct counts agree). Keep in step with the renderer's tests (test/sql/renderFeatureQuery.test.ts).
 */
const STAND_IN_MACROS: Record<string, string> = {
  xxhash64: "CREATE MACRO xxhash64(a) AS hash(a)",
  to_utf8: "CREATE MACRO to_utf8(a) AS a",
};

/** Runs `fn` on a fresh in-memory DuckDB with the stand-in macros. */
async function withDuck<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(":memory:", { threads: "1" });
  const con = await db.connect();
  try {
    const known = new Set((await con.runAndReadAll("SELECT DISTINCT function_name FROM duckdb_functions()")).getRowsJS().map((r) => String(r[0])));
    for (const [name, ddl] of Object.entries(STAND_IN_MACROS)) if (!known.has(name)) await con.run(ddl);
    return await fn(con);
  } finally {
    con.closeSync();
    db.closeSync();
  }
}

/** Downloads every object under an S3 prefix; returns the local files. */
async function downloadPrefix(h: RemoteHarness, prefix: string): Promise<string[]> {
  const dir = h.tempDir("sparkify-standin-");
  const files: string[] = [];
  for (const o of await listObjects(h.s3, prefix)) {
    const f = path.join(dir, path.basename(o.key));
    await downloadToFile(h.s3, o.url, f);
    files.push(f);
  }
  return files;
}

/** `CREATE TABLE name AS` the JSON lines with the 18 typed fields (names in the given case). */
function rawTableSql(name: string, files: string[], lower: boolean): string {
  const cols = EVENT_FIELDS.map((f) => `'${f}': '${EVENT_COLUMN_TYPES[f]}'`).join(", ");
  const select = EVENT_FIELDS.map((f) => `"${f}"${lower ? ` AS ${f.toLowerCase()}` : ""}`).join(", ");
  return `CREATE TABLE ${name} AS SELECT ${select} FROM read_json([${files.map((f) => `'${f}'`).join(", ")}], format = 'newline_delimited', columns = {${cols}})`;
}

/** A result as CSV: Spark style (minimal quoting) or Athena style (all quoted, names lower case). */
async function resultCsv(con: DuckDBConnection, sql: string, style: "spark" | "athena"): Promise<string> {
  const reader = await con.runAndReadAll(sql);
  const names = reader.columnNames();
  const text = (v: unknown): string | null =>
    v === null || v === undefined ? null : typeof v === "bigint" ? v.toString() : typeof v === "number" ? javaDouble(v) : String(v);
  const field = (v: string | null): string =>
    v === null ? "" : style === "athena" || /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  const lines = [names.map((n) => field(style === "athena" ? n.toLowerCase() : n)).join(",")];
  for (const row of reader.getRowsJS()) lines.push(row.map((v) => field(text(v))).join(","));
  return lines.join("\n") + "\n";
}

/** The EMR Serverless job: what the staged entry point does, with DuckDB in Spark's place. */
export async function sparkJobStandIn(h: RemoteHarness, job: FakeJob): Promise<void> {
  const driver = (job.request.jobDriver as { sparkSubmit: { entryPoint: string; entryPointArguments: string[] } }).sparkSubmit;
  const arg = (flag: string): string => driver.entryPointArguments[driver.entryPointArguments.indexOf(flag) + 1];
  const query = queryFromScript(await getText(h.s3, driver.entryPoint));
  const files = await downloadPrefix(h, arg("--input"));
  await withDuck(async (con) => {
    await con.run(rawTableSql("raw", files, false));
    // The entry point's cleaning: required fields, a user, no exact duplicates.
    await con.run(`CREATE TABLE events AS SELECT DISTINCT * FROM raw WHERE ts IS NOT NULL AND page IS NOT NULL AND sessionId IS NOT NULL AND auth IS NOT NULL AND userId IS NOT NULL AND userId <> ''`);
    await h.put(`${arg("--output")}part-00000-standin-c000.csv`, await resultCsv(con, query, "spark"));
    const n = async (sql: string): Promise<number> => Number((await con.runAndReadAll(sql)).getRowsJS()[0][0]);
    const lines = await n("SELECT count(*) FROM raw");
    const missing = await n("SELECT count(*) FROM raw WHERE ts IS NULL OR page IS NULL OR sessionId IS NULL OR auth IS NULL");
    const noUser = await n("SELECT count(*) FROM raw WHERE NOT (ts IS NULL OR page IS NULL OR sessionId IS NULL OR auth IS NULL) AND (userId IS NULL OR userId = '')");
    const kept = await n("SELECT count(*) FROM events");
    const report = { lines, kept, dropped: { missing_field: missing, no_user: noUser, duplicate: lines - missing - noUser - kept }, malformed: 0 };
    await h.put(`${arg("--report")}part-00000-standin.txt`, JSON.stringify(report) + "\n");
  });
}

/**
 * Athena: keeps the external tables its DDL created (as DuckDB tables under the database's schema)
 * and runs each query as received, writing the CSV result to the query's output location.
 */
export class AthenaStandIn {
  private tables = new Map<string, { files: string[] }>();
  constructor(private readonly h: RemoteHarness) {}

  /** Handles one succeeded statement. */
  async run(job: FakeJob): Promise<void> {
    const sql = String(job.request.QueryString);
    if (/^CREATE DATABASE/.test(sql)) return;
    const ddl = /^CREATE EXTERNAL TABLE IF NOT EXISTS `([a-z0-9_]+)`\.`([a-z0-9_]+)`[\s\S]*LOCATION '([^']+)'$/.exec(sql);
    if (ddl) {
      this.tables.set(`${ddl[1]}.${ddl[2]}`, { files: await downloadPrefix(this.h, ddl[3]) });
      return;
    }
    await withDuck(async (con) => {
      for (const [name, t] of this.tables) {
        const [schema, table] = name.split(".");
        await con.run(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await con.run(rawTableSql(`"${schema}"."${table}"`, t.files, true));
      }
      await this.h.put(job.outputLocation!, await resultCsv(con, sql, "athena"));
    });
  }
}
