// Proving and validating lines: the line scan (WebAssembly), the validation SQL, Parquet checks,
// the cleaning rules and the accounting of every input line (the data report).
export type { DataReport, QuarantineEntry } from "./dataReport";
export { CLEANING_RULES, resolveRules, type RuleName } from "./rules";
export { checkReport } from "./checkReport";
export { loadFile, type FileLoadResult, type FileLoadOptions } from "./loadFile";
export { loadEvents, type LoadedEvents, type LoadEventsOptions } from "./loadEvents";
export { eventsAsTable, eventsAsView, type KeptFacts } from "./keptEvents";
