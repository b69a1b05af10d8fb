// Proving and validating lines: the line scan (WebAssembly), the validation SQL, Parquet checks,
// loading into DuckDB (the same way for both storages), the cleaning rules and the accounting of
// every input line (the data report).
export type { DataReport, QuarantineEntry } from "./dataReport";
export { CLEANING_RULES, resolveRules, type RuleName } from "./rules";
export { loadEvents, type LoadedEvents, type LoadEventsOptions } from "./loadEvents";
export { eventsAsTable, eventsAsView, type KeptFacts } from "./keptEvents";
