import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SparkifyError } from "../errors";
import { cleanupOnSignal, ioError, writeFileAtomic, writeJsonAtomic } from "../io";
import { EventStore } from "./EventStore";
import type { DataReport } from "../ingest";
import type { LoadOptions } from "./types";
import { literal } from "../sql/quote";
import { CONVERTED, SUCCESS_MARKER, convertedEventsFolder } from "../inputs";

/** Sort order of the converted events: by user, then time (the rest only makes ties reproducible). */
export const CONVERTED_ORDER = `"userId", ts, "sessionId", "itemInSession", page`;
/** Name of the (single) Parquet part of a conversion, as Spark names parts. */
export const CONVERTED_PART = "part-00000.parquet";

/** What `convertEvents` wrote. */
export interface ConvertResult {
  /** The output folder (pass it as `--input` / to EventStore.open). */
  outDir: string;
  /** The Parquet folder inside it (part files and _SUCCESS). */
  eventsDir: string;
  /** The data report written as data-report.json (every input line accounted for). */
  report: DataReport;
  /** Bytes of the Parquet part(s). */
  parquetBytes: number;
}

function fsyncPath(p: string): void {
  // Makes DuckDB's file (and the folder entries) durable before the folder is renamed into place.
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, "r");
    fs.fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a folder: best effort
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The error to throw for a failed conversion; when it failed on too many bad lines, their quarantine
 * file is moved out of the temporary folder to `keepAs` (beside the output), so the message's file exists.
 */
function keptQuarantine(err: unknown, tmpQuarantine: string, keepAs: string): SparkifyError {
  const e = err instanceof SparkifyError ? err : ioError(err, "writing", keepAs.replace(/\.quarantine\.jsonl$/, ""));
  if (e.code !== "E_TOO_MANY_BAD_LINES" || !fs.existsSync(tmpQuarantine)) return e;
  try {
    fs.renameSync(tmpQuarantine, keepAs);
  } catch {
    return e;
  }
  return new SparkifyError(e.code, e.message.split(tmpQuarantine).join(keepAs), { cause: e });
}

/** Refuses an existing `outDir` that is not an earlier conversion (its files would be lost). */
function checkReplaceable(outDir: string): "absent" | "empty" | "converted" {
  let st: fs.Stats;
  try {
    st = fs.statSync(outDir);
  } catch {
    return "absent";
  }
  if (!st.isDirectory()) throw new SparkifyError("E_OUTPUT_REFUSED", `cannot write the converted events to ${outDir}: it is a file, not a folder`);
  const names = fs.readdirSync(outDir);
  if (names.length === 0) return "empty";
  if (convertedEventsFolder(outDir)) return "converted";
  throw new SparkifyError(
    "E_OUTPUT_REFUSED",
    `refusing to replace ${outDir}: it holds ${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""} and is not an earlier convert output; choose an empty or new folder`,
  );
}

/**
 * Loads `source` with every check and rule of EventStore.open (storage "files" unless another is
 * asked for) and writes the cleaned events as
 * Parquet (zstd, sorted by user and time, the 18 fields with their table types) into `outDir`:
 * `events/part-00000.parquet` and `events/_SUCCESS`, with `data-report.json` and `quarantine.jsonl`
 * (when lines were quarantined) beside the events folder. The folder is built under a hidden
 * temporary name beside `outDir` and renamed into place, so it appears whole or not at all; an
 * earlier conversion in `outDir` is replaced. Each part also carries the data report in its
 * metadata, so a store that reads the output back reports the original input's accounting.
 */
export async function convertEvents(source: string | string[], outDir: string, options: LoadOptions = {}): Promise<ConvertResult> {
  const final = path.resolve(outDir);
  const existing = checkReplaceable(final);
  const parent = path.dirname(final);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw ioError(err, "creating the folder of", final);
  }
  const tmp = path.join(parent, `.${path.basename(final)}.convert-${process.pid}-${randomBytes(4).toString("hex")}`);
  const removeTmp = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  const forget = cleanupOnSignal(removeTmp);
  let store: EventStore | null = null;
  try {
    const events = path.join(tmp, CONVERTED.events);
    fs.mkdirSync(events, { recursive: true });
    // The COPY below reads the events once more anyway: "files" storage (the default here) reads them
    // in place, where a table in memory would cost one more full insert (about 2× the time measured).
    const storage = options.storage === undefined || options.storage === "auto" ? "files" : options.storage;
    store = await EventStore.open(source, { ...options, storage, quarantineFile: path.join(tmp, CONVERTED.quarantine) });
    const report: DataReport = structuredClone(store.report);
    const part = path.join(events, CONVERTED_PART);
    const stored = JSON.stringify({ ...report, quarantineFile: report.quarantined > 0 ? CONVERTED.quarantine : null });
    await store.withConnection(async (conn) => {
      try {
        // The store runs with preserve_insertion_order off (faster loads), under which COPY writes
        // row groups in parallel, out of order: PRESERVE_ORDER keeps the sort in the file.
        await conn.run(
          `COPY (SELECT * FROM events ORDER BY ${CONVERTED_ORDER}) TO ${literal(part)} (FORMAT parquet, COMPRESSION zstd, PRESERVE_ORDER true, KV_METADATA {${literal(CONVERTED.metadataKey)}: ${literal(stored)}})`,
        );
      } catch (err) {
        throw ioError(String((err as Error).message).split("\n")[0], "writing", path.join(final, CONVERTED.events, CONVERTED_PART));
      }
    });
    store.checkInputs(); // the events written come from the files as loaded
    fsyncPath(part);
    if (report.quarantined > 0) report.quarantineFile = path.join(final, CONVERTED.quarantine);
    writeJsonAtomic(path.join(tmp, CONVERTED.report), report);
    writeFileAtomic(path.join(events, SUCCESS_MARKER), ""); // last, as Spark writes it
    fsyncPath(events);
    fsyncPath(tmp);
    const parquetBytes = fs.statSync(part).size;
    await store.close();
    store = null;
    if (existing === "empty") fs.rmdirSync(final);
    if (existing === "converted") {
      // Moved aside, then the new folder in: at every moment outDir is a whole conversion or absent.
      const old = path.join(parent, `.${path.basename(final)}.old-${process.pid}-${randomBytes(4).toString("hex")}`);
      fs.renameSync(final, old);
      try {
        fs.renameSync(tmp, final);
      } catch (err) {
        fs.renameSync(old, final); // the earlier conversion back in place
        throw err;
      }
      fs.rmSync(old, { recursive: true, force: true });
    } else fs.renameSync(tmp, final);
    fsyncPath(parent);
    return { outDir: final, eventsDir: path.join(final, CONVERTED.events), report, parquetBytes };
  } catch (err) {
    throw keptQuarantine(err, path.join(tmp, CONVERTED.quarantine), `${final}.quarantine.jsonl`);
  } finally {
    if (store) await store.close();
    removeTmp(); // nothing left after the rename
    forget();
  }
}
