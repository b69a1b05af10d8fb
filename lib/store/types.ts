/** Anything that can run a SQL query and hand back plain rows: the EventStore, or a test fixture. */
export interface SqlRunner {
  /**
   * Runs `sql` against a database where the cleaned table `events` exists (see lib/events/schema.ts)
   * and returns its rows as plain objects (BIGINT as number, NULL as null, timestamps as epoch ms).
   */
  rows(sql: string): Promise<Record<string, unknown>[]>;
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
  /** One entry per input file or object, with its own line count and bytes. */
  sources: Array<{ source: string; lines: number; bytes: number }>;
}
