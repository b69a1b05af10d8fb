import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection } from "@duckdb/node-api";
import type { DataFrame } from "danfojs";
import { EVENT_FIELDS, eventsTableDdl, type SparkifyEvent } from "../events/schema";
import { SparkifyError } from "../errors";
import { ProgressBar } from "../progress";
import { applyTableRules } from "../ingest/applyTableRules";
import { applyScannedRules, applyViewRules, scanSettlesRules, type ViewRulesResult } from "../ingest/applyViewRules";
import { loadFile, typedRead, validateAll, type FileLoadResult } from "../ingest/loadFile";
import { checkReport } from "../ingest/checkReport";
import { ident, literal } from "../sql/quote";
import { resolveRules, type RuleName } from "../ingest/rules";
import { scanFiles, type ScannedInput } from "../ingest/scan/scanFiles";
import { resolveSources } from "../inputs/resolveSources";
import { checkPins, pinInputs, type InputPin } from "../inputs/inputPins";
import { writeFileAtomic } from "../io/atomicWrite";
import { adoptConvertedReport, loadParquet, mergeParquetLoad, type ParquetLoad } from "../ingest/parquet/loadParquet";
import { plainRows } from "./toPlain";
import { toDataFrame } from "./toDataFrame";
import type { DataReport, QuarantineEntry } from "../ingest/dataReport";
import type { LoadOptions, SqlRunner, StorageMode, StoreSummary } from "./types";
import type { SourceFile } from "../inputs/sourceFile";

/** How many bad lines the "too many bad lines" error names. */
const NAMED_BAD_LINES = 5;

/** Above this much JSON, storage "auto" leaves the events in their files. */
const AUTO_FILES_BYTES = 512 * 2 ** 20;
/** Rough size of gzip'd JSON lines once inflated, for the storage choice only. */
const GZIP_RATIO = 8;
/** Rough size of the same events as JSON lines per byte of zstd Parquet, for the storage choice only. */
const PARQUET_RATIO = 12;
/** Rows of files that need line-by-line loading, when the clean files stay where they are. */
const DIRTY_TABLE = "_dirty_events";
/** Every loaded row before the table-wide rules, when the clean files stay where they are. */
const RAW_VIEW = "_raw_events";

/** "memory" or "files" for the given option and input size. */
export function resolveStorage(storage: StorageMode | undefined, files: SourceFile[]): "memory" | "files" {
  const mode = storage ?? "auto";
  if (mode === "memory" || mode === "files") return mode;
  if (mode !== "auto") throw new SparkifyError("E_BAD_OPTION", `storage must be auto, memory or files, got "${String(mode)}"`);
  const json = files.reduce((s, f) => s + f.bytes * (f.format === "parquet" ? PARQUET_RATIO : f.gzip ? GZIP_RATIO : 1), 0);
  return json > AUTO_FILES_BYTES ? "files" : "memory";
}

/** DuckDB memory limit for "files" storage unless the caller sets one. */
const FILES_MEMORY_LIMIT = "600MB";

/** Numbers the stores of this process (each gets its own DuckDB spill folder). */
let storeCounter = 0;

/**
 * The cleaned Sparkify events in an embedded DuckDB database (table `events`, see
 * lib/events/schema.ts), with the accounting of every input line in `report`.
 */
export class EventStore implements SqlRunner {
  /** Accounting of every input line (see DataReport). */
  readonly report: DataReport;
  /** Where the cleaned events live: a table in memory, or a view over the input files. */
  readonly storage: "memory" | "files";
  private readonly instance: DuckDBInstance;
  private readonly conn: DuckDBConnection;
  private closed = false;

  private readonly spillDir: string;
  private keptRange: { minTs: number | null; maxTs: number | null } | null = null;
  /** Columns of the temporary copy that shadows the `events` view (withEventsCopy), if one does. */
  private copyColumns: Set<string> | null = null;
  /** The row filter of that copy, null when it holds every row. */
  private copyWhere: string | null = null;
  /** Users of the kept events, when the load counted them ("files" storage). */
  private keptUsers: number | null = null;
  /** A folder the store owns and removes on close (fromEvents' file, read by the view). */
  private ownedDir: string | null = null;
  /** Identity of each input file at load; checked before and after every later read of files storage. */
  private pins: InputPin[] = [];

  private constructor(instance: DuckDBInstance, conn: DuckDBConnection, report: DataReport, spillDir: string, storage: "memory" | "files") {
    this.instance = instance;
    this.conn = conn;
    this.report = report;
    this.spillDir = spillDir;
    this.storage = storage;
  }

  /** Loads and cleans local files, folders, globs or s3:// URLs into a new store. */
  static async open(source: string | string[], options: LoadOptions = {}): Promise<EventStore> {
    const rules = resolveRules(options.rules);
    const maxBad = options.maxBadFraction ?? 0.01;
    if (!(maxBad >= 0 && maxBad <= 1)) throw new SparkifyError("E_BAD_OPTION", `maxBadFraction must be within [0, 1], got ${maxBad}`);
    const files = await resolveSources(Array.isArray(source) ? source : [source], options);
    const pins = pinInputs(files);
    const storage = resolveStorage(options.storage, files);
    const spillDir = path.join(os.tmpdir(), `sparkify-duckdb-${process.pid}-${++storeCounter}`);
    const config: Record<string, string> = {
      threads: String(options.threads ?? os.cpus().length),
      preserve_insertion_order: "false",
      // httpfs cannot be downloaded here; S3 goes through the AWS SDK, so fail fast, never fetch.
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
      // Spill files go to the system temp folder, never into the user's working directory.
      temp_directory: spillDir,
    };
    // In "files" storage only the duplicate check holds much memory: it spills past this limit.
    const memoryLimit = options.memoryLimit ?? (storage === "files" ? FILES_MEMORY_LIMIT : undefined);
    if (memoryLimit) config.memory_limit = memoryLimit;
    const instance = await DuckDBInstance.create(options.dbPath ?? ":memory:", config);
    const conn = await instance.connect();
    try {
      const target = storage === "memory" ? "events" : DIRTY_TABLE;
      await conn.run(`DROP TABLE IF EXISTS ${target}; ${eventsTableDdl(target)}`);
      // Parquet inputs are typed: their schema and rows are checked in SQL; the scan reads JSON lines only.
      const isParquet = (f: SourceFile): boolean => f.format === "parquet";
      const jsonFiles = files.filter((f) => !isParquet(f));
      const loaded = jsonFiles.length > 0 || files.length === 0 ? await loadAll(conn, jsonFiles, options, rules, storage, target) : emptyLoad();
      const parquet: ParquetLoad | null = jsonFiles.length < files.length
        ? await loadParquet(conn, files.filter(isParquet), { normaliseUserId: rules.normalise_user_id, target, materialise: storage === "memory" })
        : null;
      if (parquet) {
        mergeParquetLoad(loaded.report, loaded.quarantineEntries, parquet, files, isParquet, rules.normalise_user_id);
        loaded.scanned = undefined; // the scan's counts cover the JSON files only
      }
      if (loaded.report.lines - (loaded.report.dropped.blank_line ?? 0) === 0) {
        const names = files.map((f) => f.source).join(", ");
        throw new SparkifyError("E_EMPTY_INPUT", `empty input: ${names} holds no events (${loaded.report.lines} lines, all blank)`);
      }
      const quarantine = loaded.quarantineEntries;
      const store = new EventStore(instance, conn, loaded.report, spillDir, storage);
      store.pins = pins;
      checkPins(pins);
      if (quarantine.length > 0) {
        const qFile = options.quarantineFile ?? path.join(options.quarantineDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-quarantine-")), "quarantine.jsonl");
        writeFileAtomic(qFile, quarantine.map((q) => JSON.stringify(q)).join("\n") + "\n");
        store.report.quarantineFile = path.resolve(qFile);
      } else if (options.quarantineFile) fs.rmSync(options.quarantineFile, { force: true }); // an earlier run's, now stale
      const bad = store.report.quarantined / store.report.lines;
      if (bad > maxBad) {
        const first = quarantine.slice(0, NAMED_BAD_LINES).map((q) => `${q.file}:${q.line} ${q.reason}`).join("; ");
        throw new SparkifyError(
          "E_TOO_MANY_BAD_LINES",
          `too many bad lines: ${store.report.quarantined} of ${store.report.lines} lines (${(bad * 100).toFixed(2)}%) could not be loaded, more than the allowed ${(maxBad * 100).toFixed(2)}%. First bad lines: ${first}. All of them are in ${store.report.quarantineFile}`,
        );
      }
      if (storage === "memory") {
        await applyTableRules(conn, rules, store.report);
        adoptConvertedReport(store.report, parquet);
        const [{ n }] = await store.rows("SELECT count(*) AS n FROM events");
        checkReport(store.report, Number(n));
        checkPins(pins);
        return store;
      }
      // The clean files are read in place (by compression, as DuckDB reads a list with one codec).
      // Events loaded line by line (from files with bad or blank lines) are written to a JSON-lines
      // file read with them: a table in the view (table UNION ALL JSON read) made the rules'
      // aggregate run out of memory on the full set (at limits of 600 and 800 MB), where one JSON
      // read of the same rows spills and passes.
      const inPlace = [...loaded.cleanFiles];
      const [{ n: lineByLine }] = await store.rows(`SELECT count(*) AS n FROM ${DIRTY_TABLE}`);
      if (Number(lineByLine) > 0) {
        fs.mkdirSync(spillDir, { recursive: true });
        const file = path.join(spillDir, "loaded-line-by-line.jsonl");
        await conn.run(`COPY ${DIRTY_TABLE} TO ${literal(file)} (FORMAT json)`); // doubles round-trip exactly
        await conn.run(`DROP TABLE ${DIRTY_TABLE}`);
        inPlace.push({ source: file, path: file, bytes: fs.statSync(file).size, gzip: false });
      }
      const parts: string[] = [];
      for (const gzip of [false, true]) {
        const group = inPlace.filter((f) => f.gzip === gzip);
        if (group.length > 0) parts.push(typedRead(group));
      }
      if (parquet) parts.push(...parquet.reads);
      if (parts.length === 0) parts.push(`SELECT * FROM ${DIRTY_TABLE}`); // no event left: every line was quarantined or blank
      await conn.run(`CREATE VIEW ${RAW_VIEW} AS ${parts.join(" UNION ALL ")}`);
      let found: ViewRulesResult;
      if (loaded.scanned && scanSettlesRules(loaded.scanned, rules)) {
        // The scan counted the rows and the rules in one read: there is no second read to compare.
        found = await applyScannedRules(conn, RAW_VIEW, rules, store.report, loaded.scanned);
      } else {
        const loadedRows = store.report.kept;
        found = await applyViewRules(conn, RAW_VIEW, rules, store.report);
        if (found.rawRows !== loadedRows) {
          throw new SparkifyError("E_REPORT_MISMATCH", `the data report does not add up: the files hold ${found.rawRows} rows on a second read, the load counted ${loadedRows} (did a file change while loading?)`);
        }
      }
      store.keptRange = { minTs: found.minTs, maxTs: found.maxTs };
      store.keptUsers = found.users;
      adoptConvertedReport(store.report, parquet);
      checkReport(store.report, store.report.kept);
      checkPins(pins);
      return store;
    } catch (err) {
      conn.closeSync();
      instance.closeSync();
      fs.rmSync(spillDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** A store of the given events (missing fields are absent keys), through the same cleaning path. */
  static async fromEvents(events: Array<Partial<SparkifyEvent>>, options: LoadOptions = {}): Promise<EventStore> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-events-"));
    const file = path.join(dir, "events.jsonl");
    let store: EventStore | null = null;
    try {
      const fd = fs.openSync(file, "w");
      try {
        const batch: string[] = [];
        for (const e of events) {
          batch.push(JSON.stringify(e));
          if (batch.length >= 10_000) fs.writeSync(fd, batch.splice(0).join("\n") + "\n");
        }
        if (batch.length > 0) fs.writeSync(fd, batch.join("\n") + "\n");
      } finally {
        fs.closeSync(fd);
      }
      store = await EventStore.open(file, { quiet: true, ...options });
      if (store.storage === "files") store.ownedDir = dir; // the events view reads the file: keep it until close
      return store;
    } finally {
      if (store?.ownedDir !== dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Rows of a query as plain objects (BIGINT → number, NULL → null, timestamps → epoch ms). */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    this.checkFilesRead();
    const reader = await this.conn.runAndReadAll(sql);
    this.checkFilesRead();
    return plainRows(reader.getRowObjectsJS() as Record<string, unknown>[]);
  }

  /** Each input file's identity (size, mtime, inode; ETag for S3) as pinned at load. */
  get inputs(): readonly InputPin[] {
    return this.pins;
  }

  /** Throws E_INPUT_CHANGED ("input changed while being read: FILE") if an input changed since the load. */
  checkInputs(): void {
    checkPins(this.pins);
  }

  /** In "files" storage queries read the input files again: they must still be the files loaded. */
  private checkFilesRead(): void {
    if (this.storage === "files") checkPins(this.pins);
  }

  /** The result of a query as a danfo DataFrame. */
  async query(sql: string): Promise<DataFrame> {
    this.checkFilesRead();
    const reader = await this.conn.runAndReadAll(sql);
    this.checkFilesRead();
    return toDataFrame(plainRows(reader.getRowObjectsJS() as Record<string, unknown>[]), reader.deduplicatedColumnNames());
  }

  /** Streams a query (default: all events) as DataFrames of at most `rows` rows each. */
  async *chunks(opts: { rows: number; sql?: string }): AsyncIterable<DataFrame> {
    if (!(opts.rows >= 1)) throw new SparkifyError("E_BAD_OPTION", `chunks: rows must be at least 1, got ${opts.rows}`);
    this.checkFilesRead();
    const conn = await this.instance.connect(); // own connection: the caller may query between chunks
    try {
      const result = await conn.stream(opts.sql ?? "SELECT * FROM events");
      const columns = result.deduplicatedColumnNames();
      let pending: Record<string, unknown>[] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const cols = chunk.convertColumns(JSDuckDBValueConverter);
        for (let r = 0; r < chunk.rowCount; r++) {
          const row: Record<string, unknown> = {};
          for (let c = 0; c < columns.length; c++) row[columns[c]] = cols[c][r];
          pending.push(row);
        }
        while (pending.length >= opts.rows) yield toDataFrame(plainRows(pending.splice(0, opts.rows)), columns);
      }
      if (pending.length > 0) yield toDataFrame(plainRows(pending), columns);
      pending = [];
      this.checkFilesRead();
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Runs `fn` while `events` is a temporary table holding `columns` (default all) of the events.
   * Nothing to do in "memory" storage; in "files" storage the copy is made in one scan (DuckDB
   * spills it past its memory limit) and shadows the view until `fn` ends, so work that reads the
   * events many times (features, EDA) reads the files once. `where` (SQL over the events) may leave
   * out rows that `fn` provably never reads, to make the copy smaller. Nested calls reuse the outer
   * copy, which must hold their columns and at least their rows.
   */
  async withEventsCopy<T>(fn: () => Promise<T>, columns?: readonly string[], where?: string): Promise<T> {
    if (this.storage === "memory") return fn();
    if (this.copyColumns) {
      const missing = (columns ?? EVENT_FIELDS).filter((c) => !this.copyColumns!.has(c));
      if (missing.length > 0) throw new SparkifyError("E_BAD_OPTION", `withEventsCopy: the outer copy of the events lacks ${missing.join(", ")}; copy them in the outer call`);
      if (this.copyWhere !== null && this.copyWhere !== where) throw new SparkifyError("E_BAD_OPTION", `withEventsCopy: the outer copy holds only rows where ${this.copyWhere}; a nested call cannot ask for others`);
      return fn();
    }
    const list = columns ?? EVENT_FIELDS;
    // A temporary table is found before the main schema's view of the same name.
    this.checkFilesRead();
    await this.conn.run(`CREATE TEMP TABLE events AS SELECT ${list.map(ident).join(", ")} FROM main.events${where ? ` WHERE ${where}` : ""}`);
    this.copyColumns = new Set(list);
    this.copyWhere = where ?? null;
    try {
      this.checkFilesRead(); // the copy is the read: the files must be the ones loaded
      return await fn();
    } finally {
      this.copyColumns = null;
      this.copyWhere = null;
      await this.conn.run("DROP TABLE IF EXISTS temp.events");
    }
  }

  /** First and last event time (epoch ms) of `events`; known from the load in "files" storage. */
  async timeRange(): Promise<{ minTs: number | null; maxTs: number | null }> {
    if (this.keptRange) return this.keptRange;
    const [r] = await this.rows("SELECT min(ts) AS min_ts, max(ts) AS max_ts FROM events");
    const at = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    return { minTs: at(r.min_ts), maxTs: at(r.max_ts) };
  }

  /** Counts of the cleaned events by page, auth, level and UTC day. */
  async summary(): Promise<StoreSummary> {
    // One scan: counts by page × auth × level × day (a few thousand rows), rolled up here.
    const cells = await this.rows(
      `SELECT page, auth, level, strftime(make_timestamp(ts * 1000), '%Y-%m-%d') AS day, count(*) AS n FROM events GROUP BY ALL`,
    );
    const users = this.keptUsers ?? Number((await this.rows(`SELECT count(DISTINCT "userId") AS n FROM events`))[0].n);
    const tally = (key: "page" | "auth" | "level" | "day"): Array<[string, number]> => {
      const m = new Map<string, number>();
      for (const c of cells) m.set(String(c[key]), (m.get(String(c[key])) ?? 0) + Number(c.n));
      return [...m];
    };
    const byCount = (a: [string, number], b: [string, number]): number => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    return {
      events: cells.reduce((t, c) => t + Number(c.n), 0),
      users,
      byPage: Object.fromEntries(tally("page").sort(byCount)),
      byAuth: Object.fromEntries(tally("auth").sort(byCount)),
      byLevel: Object.fromEntries(tally("level").sort(byCount)),
      byDay: tally("day").sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, events]) => ({ day, events })),
    };
  }

  /** Runs `fn` with the store's DuckDB connection (for appenders, prepared statements, streaming). */
  async withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return fn(this.conn);
  }

  /** Writes the data report as JSON (data-report.json). */
  async writeReport(file: string): Promise<void> {
    writeFileAtomic(file, JSON.stringify(this.report, null, 2) + "\n");
  }

  /** Closes the database; the store cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
    this.instance.closeSync();
    fs.rmSync(this.spillDir, { recursive: true, force: true });
    if (this.ownedDir) fs.rmSync(this.ownedDir, { recursive: true, force: true });
  }
}

/** The load of no JSON file (every input is Parquet). */
function emptyLoad(): { report: DataReport; quarantineEntries: QuarantineEntry[]; cleanFiles: SourceFile[]; scanned?: ScannedInput } {
  return { report: { lines: 0, kept: 0, dropped: { blank_line: 0 }, flagged: {}, quarantined: 0, quarantineFile: null, sources: [] }, quarantineEntries: [], cleanFiles: [] };
}

/** Loads every file, collecting per-file counts into a report (table rules not yet applied). */
async function loadAll(
  conn: DuckDBConnection,
  files: SourceFile[],
  options: LoadOptions,
  rules: Record<RuleName, boolean>,
  storage: "memory" | "files",
  target: string,
): Promise<{ report: DataReport; quarantineEntries: QuarantineEntry[]; cleanFiles: SourceFile[]; scanned?: ScannedInput }> {
  const normaliseUserId = rules.normalise_user_id;
  const total = files.reduce((s, f) => s + f.bytes, 0);
  const bar = new ProgressBar({ label: "load", totalBytes: total, quiet: options.quiet });
  const report: DataReport = { lines: 0, kept: 0, dropped: { blank_line: 0 }, flagged: {}, quarantined: 0, quarantineFile: null, sources: [] };
  const quarantineEntries: QuarantineEntry[] = [];
  const cleanFiles: SourceFile[] = [];
  let numeric = 0;
  let rows = 0;
  let doneBytes = 0;
  try {
    // One pass on every core that proves the lines clean and counts the rules; input it cannot
    // prove (a bad line, or an unusual form of a good one) goes to the strict SQL checks below.
    const scanned = await scanFiles(files, {
      normaliseUserId,
      dropNoUser: rules.no_user,
      dedupe: storage === "files" && rules.duplicate,
      onRaw: (b) => bar.update((doneBytes += b), rows),
    });
    const insertTyped = async (proven: SourceFile[]): Promise<void> => {
      for (const gzip of [false, true]) {
        const group = proven.filter((f) => f.gzip === gzip);
        // Proven lines hold only values of their field's type, so DuckDB's typed read is exact.
        if (group.length > 0) await conn.run(`INSERT INTO ${target} ${typedRead(group)}`);
      }
    };
    if (scanned.proven) {
      files.forEach((file, i) => report.sources.push({ source: file.source, lines: scanned.lines[i], bytes: file.bytes }));
      report.lines = report.kept = scanned.rows;
      if (normaliseUserId) report.flagged.normalise_user_id = scanned.numericUserIds;
      if (storage === "memory") await insertTyped(files);
      return { report, quarantineEntries, cleanFiles: files, scanned };
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
      cleanFiles.push(files[i]);
    });
    if (storage === "memory") await insertTyped(cleanFiles);
    rows = report.kept;
    const provenBytes = cleanFiles.reduce((sum, f) => sum + f.bytes, 0);
    doneBytes = provenBytes;
    const strictFiles = strict.map((i) => files[i]);
    const clean = storage === "files" ? await validateAll(conn, strictFiles, { normaliseUserId, onRaw: (b) => bar.update((doneBytes += b), rows) }) : null;
    if (clean) {
      // Every file left is clean: they stay where they are and are read by the events view.
      strict.forEach((i, k) => (sources[i] = { source: files[i].source, lines: clean.lines[k], bytes: files[i].bytes }));
      report.lines += clean.rows;
      report.kept += clean.rows;
      numeric += clean.numericUserIds;
      cleanFiles.push(...strictFiles);
    } else {
      doneBytes = provenBytes;
      for (const i of strict) {
        const file = files[i];
        let seen = 0;
        const r: FileLoadResult = await loadFile(conn, file, {
          normaliseUserId,
          target,
          materialise: storage === "memory",
          onRaw: (b) => {
            seen += b;
            bar.update(doneBytes + seen, rows);
          },
        });
        if (r.mode === "fast" && storage === "files") cleanFiles.push(file);
        doneBytes += file.bytes;
        rows += r.inserted;
        bar.update(doneBytes, rows);
        report.lines += r.lines;
        report.dropped.blank_line += r.blank;
        report.quarantined += r.quarantine.length;
        report.kept += r.inserted;
        numeric += r.numericUserIds;
        quarantineEntries.push(...r.quarantine);
        sources[i] = { source: file.source, lines: r.lines, bytes: file.bytes };
      }
    }
    report.sources = sources.map((x) => x!);
  } finally {
    bar.stop();
  }
  if (normaliseUserId) report.flagged.normalise_user_id = numeric;
  return { report, quarantineEntries, cleanFiles };
}
