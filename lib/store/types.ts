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
   * Runs `fn` while `events` is a temporary copy (these columns, or all when none are given), for
   * work that reads the events several times: a runner whose `events` re-reads files copies once.
   */
  withEventsCopy?<T>(fn: () => Promise<T>, columns?: readonly string[], where?: string): Promise<T>;
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
