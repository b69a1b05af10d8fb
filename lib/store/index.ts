// The DuckDB/danfo query layer: EventStore (the cleaned events, queried as rows or DataFrames) and
// the `convert` of raw logs to Parquet through it.
export { EventStore } from "./EventStore";
export type { LoadOptions, SqlRunner, StorageMode, StoreSummary } from "./types";
export type { DataReport } from "../ingest"; // the type of EventStore.report
export { toDataFrame } from "./toDataFrame";
export { convertEvents, type ConvertResult } from "./convertEvents";
