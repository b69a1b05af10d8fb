export { writeFileAtomic, writeJsonAtomic, AtomicFile, tempPathFor, removeDeadTemps, processAlive, TEMP_FILE } from "./atomicWrite";
export type { AtomicWriteOptions } from "./atomicWrite";
export { guardOutputs, realTarget } from "./outputGuard";
export type { OutputSpec, LocalInputs } from "./outputGuard";
export { ioError } from "./ioError";
export { cleanupOnSignal } from "./cleanupOnSignal";
export { sha256File } from "./sha256File";
export { csvField, forEachCsvRecord, parseCsv, type CsvCell, type CsvReadOptions } from "./csv";
