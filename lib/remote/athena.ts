import { createHash } from "node:crypto";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecution,
  type StartQueryExecutionCommandInput,
} from "@aws-sdk/client-athena";
import { EVENT_COLUMN_TYPES, EVENT_FIELDS, REQUIRED_FIELDS, USER_FIELD } from "../events/schema";
import { ident, literal } from "../sql/quote";
import { SparkifyError } from "../errors";
import { remoteCall } from "./remoteCall";
import { pollUntilDone } from "./polling";
import { requireS3Url } from "../inputs/s3";
import { isNotGiven } from "./staging";
import type { RemoteLogger } from "./types";

/** Hive types of the portable event column types (Athena DDL). */
const HIVE_TYPES: Readonly<Record<string, string>> = { VARCHAR: "string", INTEGER: "int", BIGINT: "bigint", DOUBLE: "double" };

/** Terminal query states. */
const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** Where Athena queries run. */
export interface AthenaTarget {
  database: string;
  workgroup: string;
  /** `s3://…/` for query results. */
  outputLocation: string;
}

/** Checks an Athena database or table name (lower-case letters, digits, underscores). */
export function checkAthenaName(name: string, what: string): string {
  if (!/^[a-z0-9_]{1,255}$/.test(name)) throw new SparkifyError("E_REMOTE_CONFIG", `${what} must hold only lower-case letters, digits and underscores, got "${name}".`);
  return name;
}

/** The external table's name for an input prefix: one table per location, reused across runs. */
export function athenaEventsTable(input: string): string {
  return `sparkify_events_${createHash("sha256").update(input).digest("hex").slice(0, 12)}`;
}

/** `CREATE DATABASE IF NOT EXISTS` for the target database. */
export function renderCreateDatabase(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS \`${checkAthenaName(database, "--athena-database")}\``;
}

/**
 * The external table over the JSON-lines prefix (OpenX JSON SerDe, which also reads .gz parts).
 * Malformed lines become all-null rows instead of failing the query, so they can be counted.
 */
export function renderEventsTableDdl(database: string, table: string, input: string): string {
  // A dry run without --input shows its placeholder as the location.
  const loc = isNotGiven(input) ? { key: "" } : requireS3Url(input, "--input");
  if (!loc.key.endsWith("/") && loc.key !== "") {
    throw new SparkifyError("E_BAD_OPTION", `Athena reads a folder, not one object: --input must be an s3:// prefix ending in "/", got "${input}".`);
  }
  const cols = EVENT_FIELDS.map((f) => `  \`${f.toLowerCase()}\` ${HIVE_TYPES[EVENT_COLUMN_TYPES[f]]}`).join(",\n");
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${checkAthenaName(database, "--athena-database")}\`.\`${checkAthenaName(table, "table")}\` (`,
    cols,
    `)`,
    `ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'`,
    `WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true', 'case.insensitive' = 'true')`,
    `LOCATION ${literal(input)}`,
  ].join("\n");
}

/** The WHERE condition of the cleaning rules (required fields present, a user, in Trino). */
function keptCondition(): string {
  const required = REQUIRED_FIELDS.map((f) => `${f.toLowerCase()} IS NOT NULL`).join(" AND ");
  const user = USER_FIELD.toLowerCase();
  return `${required} AND ${user} IS NOT NULL AND ${user} <> ${literal("")}`;
}

/**
 * Prefixes the rendered Trino query with the cleaned `events` CTE (the store's rules: required
 * fields, a user, no exact duplicates), merging into the query's own WITH list when it has one.
 */
export function withCleanEvents(sql: string, database: string, table: string): string {
  const cols = EVENT_FIELDS.map((f) => (f === f.toLowerCase() ? f : `${f.toLowerCase()} AS ${ident(f)}`)).join(", ");
  const cte = `events AS (\n  SELECT DISTINCT ${cols}\n  FROM ${ident(database)}.${ident(table)}\n  WHERE ${keptCondition()}\n)`;
  const m = /^((?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*)WITH\s+(?!RECURSIVE\b)/i.exec(sql);
  if (m) return `${m[1]}WITH ${cte},\n${sql.slice(m[0].length)}`;
  return `WITH ${cte}\n${sql}`;
}

/** The cleaning counts query (lines, dropped per rule, kept after removing duplicates). */
export function renderAthenaReportQuery(database: string, table: string): string {
  const raw = `${ident(database)}.${ident(table)}`;
  const missing = REQUIRED_FIELDS.map((f) => `${f.toLowerCase()} IS NULL`).join(" OR ");
  return [
    `SELECT count(*) AS lines,`,
    `  count_if(${missing}) AS missing_field,`,
    `  count_if(NOT (${missing}) AND (userid IS NULL OR userid = '')) AS no_user,`,
    `  (SELECT count(*) FROM (SELECT DISTINCT * FROM ${raw} WHERE ${keptCondition()})) AS kept`,
    `FROM ${raw}`,
  ].join("\n");
}

/** Builds one StartQueryExecution request. */
export function buildStartQueryRequest(sql: string, target: AthenaTarget, token: string): StartQueryExecutionCommandInput {
  return {
    QueryString: sql,
    // Idempotency token: a retried request starts no second query (32–128 characters).
    ClientRequestToken: token.padEnd(32, "0").slice(0, 128),
    QueryExecutionContext: { Database: target.database },
    WorkGroup: target.workgroup,
    ResultConfiguration: { OutputLocation: target.outputLocation },
  };
}

/** A finished query: its id, where its CSV result is and how long it took. */
export interface AthenaOutcome {
  queryExecutionId: string;
  resultLocation: string;
  seconds: number;
  dataScannedBytes?: number;
}

/**
 * Starts one query, polls GetQueryExecution with a progress line until it ends, stops it
 * (StopQueryExecution) on the time limit, the signal or Ctrl-C, and throws with Athena's reason
 * when it fails.
 */
export async function runAthenaQuery(
  client: AthenaClient,
  request: StartQueryExecutionCommandInput,
  opts: { what: string; pollMs: number; timeoutMs: number; logger: RemoteLogger; signal?: AbortSignal; handleSigint?: boolean },
): Promise<AthenaOutcome> {
  const started = await remoteCall("Athena", "StartQueryExecution", opts.what, () => client.send(new StartQueryExecutionCommand(request)));
  const id = started.QueryExecutionId;
  if (!id) throw new SparkifyError("E_REMOTE_REQUEST", `StartQueryExecution (${opts.what}) returned no QueryExecutionId.`);
  const label = `Athena query ${id} (${opts.what})`;
  opts.logger.info(`${label} started in workgroup ${request.WorkGroup}.`);
  const { status, seconds } = await pollUntilDone<QueryExecution>({
    label,
    poll: async () => {
      const res = await remoteCall("Athena", "GetQueryExecution", opts.what, () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })));
      if (!res.QueryExecution) throw new SparkifyError("E_REMOTE_REQUEST", `GetQueryExecution for ${id} returned no QueryExecution.`);
      return res.QueryExecution;
    },
    state: (q) => String(q.Status?.State ?? "UNKNOWN"),
    isTerminal: (q) => TERMINAL.has(String(q.Status?.State)),
    stop: async () => {
      await remoteCall("Athena", "StopQueryExecution", opts.what, () => client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
    },
    intervalMs: opts.pollMs,
    timeoutMs: opts.timeoutMs,
    logger: opts.logger,
    signal: opts.signal,
    handleSigint: opts.handleSigint,
  });
  const resultLocation = status.ResultConfiguration?.OutputLocation ?? `${(request.ResultConfiguration?.OutputLocation ?? "").replace(/\/+$/, "")}/${id}.csv`;
  const state = status.Status?.State;
  if (state !== "SUCCEEDED") {
    const reason = status.Status?.StateChangeReason ?? status.Status?.AthenaError?.ErrorMessage;
    throw new SparkifyError(
      state === "CANCELLED" ? "E_REMOTE_CANCELLED" : "E_REMOTE_FAILED",
      `${label} ended ${state}${reason ? `: ${reason}` : ""}. Query history: Athena console, workgroup ${request.WorkGroup}; results/metadata: ${resultLocation}`,
    );
  }
  const scanned = status.Statistics?.DataScannedInBytes;
  opts.logger.info(`${label} succeeded in ${Math.round(seconds)} s${scanned !== undefined ? `, scanned ${(scanned / 1e9).toFixed(3)} GB` : ""}.`);
  return { queryExecutionId: id, resultLocation, seconds, dataScannedBytes: scanned };
}
