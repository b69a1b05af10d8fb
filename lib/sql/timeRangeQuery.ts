/**
 * The query for the first and last event time (columns min_ts, max_ts) of `table`: plain SQL that
 * DuckDB, Spark SQL and Trino all read, so the store and the remote engines ask it the same way.
 */
export function timeRangeQuery(table = "events"): string {
  return `SELECT MIN(ts) AS min_ts, MAX(ts) AS max_ts FROM ${table}`;
}
