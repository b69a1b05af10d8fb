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

/** One line that could not be loaded, as written to quarantine.jsonl. */
export interface QuarantineEntry {
  file: string;
  /** 1-based line number in the (decompressed) file. */
  line: number;
  reason: string;
  /** The line itself, cut to 2,000 characters. */
  text: string;
}
