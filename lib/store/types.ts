/** Anything that can run a SQL query and hand back plain rows: the EventStore, or a test fixture. */
export interface SqlRunner {
  /**
   * Runs `sql` against a database where the cleaned table `events` exists (see lib/events/schema.ts)
   * and returns its rows as plain objects (BIGINT as number, NULL as null, timestamps as epoch ms).
   */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** First and last event time of `events`, when the runner knows it without a scan. */
  timeRange?(): Promise<{ minTs: number | null; maxTs: number | null }>;
  /**
   * Runs `fn` while `events` is a temporary table (these columns, or all when none are given), for
   * work that reads the events several times: a runner whose `events` re-reads files copies once.
   */
  withEventsCopy?<T>(fn: () => Promise<T>, columns?: readonly string[], where?: string): Promise<T>;
}

/** Accounting of every input line: lines = kept + sum(dropped) + quarantined. */
export interface DataReport {
  lines: number;
  kept: number;
  /** Lines removed by a named cleaning rule, by rule name (blank lines under "blank_line"). */
  dropped: Record<string, number>;
  /** Counts of rows flagged but kept (e.g. "registration_after_first_event"). */
  flagged: Record<string, number>;
  quarantined: number;
  /** Path of quarantine.jsonl, or null when nothing was quarantined. */
  quarantineFile: string | null;
  /** One entry per input file or object, with its own line count and bytes (a Parquet file's rows count as its lines). */
  sources: Array<{ source: string; lines: number; bytes: number }>;
  /** When the input is a `convert` output read back: the Parquet parts read (the counts above are the conversion's, of its original input). */
  convertedFiles?: Array<{ source: string; rows: number; bytes: number }>;
}

/** How `EventStore.open` loads and cleans. */
export interface LoadOptions {
  /** No progress bar (tests, library use). */
  quiet?: boolean;
  /** Turn cleaning rules on or off by name (see CLEANING_RULES); unknown names are an error. */
  rules?: Partial<Record<string, boolean>>;
  /** Largest allowed share of quarantined lines before the load stops; default 0.01. */
  maxBadFraction?: number;
  /** Folder for quarantine.jsonl; default a fresh temp folder. */
  quarantineDir?: string;
  /** The quarantine file itself (overrides quarantineDir); removed if it exists and no line is quarantined. */
  quarantineFile?: string;
  /** Load a part-file folder (part-* files, Spark's or the simulator's) that has no _SUCCESS marker. */
  allowIncomplete?: boolean;
  /** S3-compatible endpoint URL (else AWS_ENDPOINT_URL_S3, else AWS). */
  s3Endpoint?: string;
  /** Local cache of downloaded S3 objects; default SPARKIFY_CHURN_CACHE, else $XDG_CACHE_HOME/sparkify-churn/s3, else ~/.cache/sparkify-churn/s3. */
  cacheDir?: string;
  /** DuckDB worker threads; default the number of CPUs. */
  threads?: number;
  /** DuckDB database file; default in memory. */
  dbPath?: string;
  /**
   * DuckDB memory limit, e.g. "900MB"; past it the table spills to a temp folder (bounded RSS for
   * inputs larger than memory, at some cost in speed). Default DuckDB's (80% of RAM).
   */
  memoryLimit?: string;
  /**
   * Where the cleaned events live. "memory": copied into a DuckDB table (fastest repeated queries,
   * RAM about the size of the input). "files": validated and counted in place; `events` is a view
   * that reads the files again on each query (RAM stays small). "auto" (default): "files" for
   * inputs over 512 MiB of JSON, else "memory".
   */
  storage?: StorageMode;
}

/** Where the store keeps the cleaned events (see LoadOptions.storage). */
export type StorageMode = "auto" | "memory" | "files";

/** Counts of the cleaned events table for a first look. */
export interface StoreSummary {
  events: number;
  users: number;
  byPage: Record<string, number>;
  byAuth: Record<string, number>;
  byLevel: Record<string, number>;
  /** Events per UTC day, ascending, day as YYYY-MM-DD. */
  byDay: Array<{ day: string; events: number }>;
}

/** One line that could not be loaded, as written to quarantine.jsonl. */
export interface QuarantineEntry {
  file: string;
  /** 1-based line number in the (decompressed) file. */
  line: number;
  reason: string;
  /** The line itself, cut to 2,000 characters. */
  text: string;
}

/** A local file to load (an S3 object once it sits in the cache). */
export interface SourceFile {
  /** What the user named: a path or an s3:// URL. */
  source: string;
  /** Local path DuckDB reads. */
  path: string;
  /** Size on disk (compressed size for gzip). */
  bytes: number;
  gzip: boolean;
  /** The S3 object's ETag, for objects downloaded into the cache. */
  etag?: string;
  /** "parquet" for a Parquet file (found by its magic bytes), else JSON lines. */
  format?: "parquet";
}
