import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DuckDBInstance, JSDuckDBValueConverter, type DuckDBConnection } from "@duckdb/node-api";
import type { DataFrame } from "danfojs";
import { EVENT_FIELDS, EVENTS_TABLE, type SparkifyEvent } from "../events/schema";
import { SparkifyError } from "../errors";
import { eventsAsTable, eventsAsView, loadEvents, resolveRules, type DataReport, type QuarantineEntry } from "../ingest";
import { checkPins, pinInputs, resolveSources, type InputPin, type SourceFile } from "../inputs";
import { writeFileAtomic } from "../io/atomicWrite";
import { ident, literal } from "../sql/quote";
import { timeRangeQuery } from "../sql/timeRangeQuery";
import { plainRows, plainRowsFromColumns } from "./toPlain";
import { toDataFrame } from "./toDataFrame";
import type { LoadOptions, SqlRunner, StorageMode, StoreSummary } from "./types";

/** How many bad lines the "too many bad lines" error names. */
const NAMED_BAD_LINES = 5;

/** Above this much JSON, storage "auto" leaves the events in their files. */
const AUTO_FILES_BYTES = 512 * 2 ** 20;
/** Rough size of gzip'd JSON lines once inflated, for the storage choice only. */
const GZIP_RATIO = 8;
/** Rough size of the same events as JSON lines per byte of zstd Parquet, for the storage choice only. */
const PARQUET_RATIO = 12;
/** Rows of files read line by line, when the clean files stay where they are ("files" storage). */
const LINE_TABLE = "_dirty_events";

/** "memory" or "files" for the given option and input size. */
export function resolveStorage(storage: StorageMode | undefined, files: SourceFile[]): "memory" | "files" {
  const mode = storage ?? "auto";
  if (mode === "memory" || mode === "files") return mode;
  if (mode !== "auto") throw new SparkifyError("E_BAD_OPTION", `storage must be auto, memory or files, got "${String(mode)}"`);
  const json = files.reduce((s, f) => s + f.bytes * (f.format === "parquet" ? PARQUET_RATIO : f.gzip ? GZIP_RATIO : 1), 0);
  return json > AUTO_FILES_BYTES ? "files" : "memory";
}

/** Copies made by withEventsCopy in this process, for their file names. */
let copyCounter = 0;

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

  /**
   * Loads and cleans local files, folders, globs or s3:// URLs into a new store. One path per
   * storage: the input is loaded and every line counted (lib/ingest loadEvents), the quarantine is
   * written and its size checked, then the kept events become a table ("memory") or a view over the
   * files ("files") with the table-wide rules applied.
   */
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
      const loaded = await loadEvents(conn, files, {
        rules,
        // In memory the rows read line by line go straight into the events table.
        lineTable: storage === "memory" ? EVENTS_TABLE : LINE_TABLE,
        dedupe: storage === "files" && rules.duplicate,
        quiet: options.quiet,
      });
      const store = new EventStore(instance, conn, loaded.report, spillDir, storage);
      store.pins = pins;
      checkPins(pins);
      writeQuarantine(store.report, loaded.quarantine, options, maxBad);
      const kept = storage === "memory" ? await eventsAsTable(conn, loaded, rules) : await eventsAsView(conn, loaded, rules, spillDir);
      store.keptRange = kept.range;
      store.keptUsers = kept.users;
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
    return plainRowsFromColumns(reader.columnNames(), reader.getColumnsJS());
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
   * Runs `fn` while `events` is a temporary copy holding `columns` (default all) of the events.
   * Nothing to do in "memory" storage; in "files" storage the copy is made in one scan and shadows
   * the view until `fn` ends, so work that reads the events many times (features, EDA) parses the
   * JSON once. The copy is a Parquet file in the spill folder, not a table: dictionary-encoded, the
   * copy of 1.6 GB of JSON is 69 MB, where a table of the same rows outgrew the memory limit and
   * DuckDB spilled it and read it back (measured on 1.6 GB of JSON: peak RSS of the
   * feature and EDA stages 0.5 GB instead of 0.8–1.05 GB, and no slower). `where` (SQL over the events) may leave out rows that `fn` provably never
   * reads, to make the copy smaller. Nested calls reuse the outer copy, which must hold their
   * columns and at least their rows.
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
    // A temporary view is found before the main schema's view of the same name.
    this.checkFilesRead();
    fs.mkdirSync(this.spillDir, { recursive: true });
    const file = path.join(this.spillDir, `events-copy-${++copyCounter}.parquet`);
    try {
      await this.conn.run(`COPY (SELECT ${list.map(ident).join(", ")} FROM main.events${where ? ` WHERE ${where}` : ""}) TO ${literal(file)} (FORMAT parquet, COMPRESSION snappy)`);
      await this.conn.run(`CREATE TEMP VIEW events AS SELECT * FROM read_parquet(${literal(file)})`);
      this.copyColumns = new Set(list);
      this.copyWhere = where ?? null;
      this.checkFilesRead(); // the copy is the read: the files must be the ones loaded
      return await fn();
    } finally {
      this.copyColumns = null;
      this.copyWhere = null;
      await this.conn.run("DROP VIEW IF EXISTS temp.events");
      fs.rmSync(file, { force: true });
    }
  }

  /** First and last event time (epoch ms) of `events`; known from the load in "files" storage. */
  async timeRange(): Promise<{ minTs: number | null; maxTs: number | null }> {
    if (this.keptRange) return this.keptRange;
    const [r] = await this.rows(timeRangeQuery());
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

/**
 * Writes the quarantined lines to quarantine.jsonl (or removes a stale one when there are none) and
 * records its path in the report; throws E_TOO_MANY_BAD_LINES past the allowed share of bad lines.
 */
function writeQuarantine(report: DataReport, quarantine: QuarantineEntry[], options: LoadOptions, maxBad: number): void {
  if (quarantine.length > 0) {
    const qFile = options.quarantineFile ?? path.join(options.quarantineDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "sparkify-quarantine-")), "quarantine.jsonl");
    writeFileAtomic(qFile, quarantine.map((q) => JSON.stringify(q)).join("\n") + "\n");
    report.quarantineFile = path.resolve(qFile);
  } else if (options.quarantineFile) fs.rmSync(options.quarantineFile, { force: true }); // an earlier run's, now stale
  const bad = report.quarantined / report.lines;
  if (bad > maxBad) {
    const first = quarantine.slice(0, NAMED_BAD_LINES).map((q) => `${q.file}:${q.line} ${q.reason}`).join("; ");
    throw new SparkifyError(
      "E_TOO_MANY_BAD_LINES",
      `too many bad lines: ${report.quarantined} of ${report.lines} lines (${(bad * 100).toFixed(2)}%) could not be loaded, more than the allowed ${(maxBad * 100).toFixed(2)}%. First bad lines: ${first}. All of them are in ${report.quarantineFile}`,
    );
  }
}
