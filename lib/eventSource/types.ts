import type { EdaData } from "../eda";
import type { FeatureTable, TimeRange } from "../features";
import type { EngineName } from "../remote";
import type { DataReport } from "../store";
import type { TrainingTableOptions } from "./cutoffPlan";
import type { TrainingAndScoringTables } from "./trainingTable";

/** What a source read, for run.json: the local files pinned (path, size, mtime, etag), or the location a remote engine read. */
export interface SourceInput {
  readonly source: string;
  /** The remote engine that read it where it lives (nothing was read locally). */
  readonly remote?: string;
}

/** The part of a feature table the scoring snapshot repeats: mode, horizon, label (and the cutoffs trained on). */
export type SnapshotLike = Pick<FeatureTable, "mode" | "horizonDays" | "label"> & Partial<Pick<FeatureTable, "cutoffs">>;

/**
 * Where the events are and the questions the pipeline, the CLI and the notebooks ask of them, on
 * whichever engine holds them: the local DuckDB event store or a remote engine (EMR Serverless,
 * Athena) where the data lives. Open one with openEventSource, which makes the local-or-remote choice
 * once; close it when done.
 */
export interface EventSource {
  /** "duckdb" (the local store) or the remote engine. */
  readonly engine: EngineName;
  /** True when the events stay where they live and a remote engine answers. */
  readonly remote: boolean;
  /** What was read, for run.json. */
  readonly inputs: readonly SourceInput[];
  /**
   * The line accounting (kept, dropped by rule, quarantined): the local store's after loading; a
   * remote engine's after its first feature query (null before it, and after a dry run).
   */
  readonly report: DataReport | null;
  /** First and last event time of the cleaned events (remote: one small query, asked once); null after a remote dry run. */
  timeRange(): Promise<TimeRange | null>;
  /** The time range if it is known without sending anything (local: always; remote: once asked). */
  knownTimeRange(): Promise<TimeRange | null>;
  /** The training table for a cutoff plan (weekly by default); null after a remote dry run, which prints what would be sent. */
  trainingTable(options?: TrainingTableOptions): Promise<FeatureTable | null>;
  /**
   * The features of the users to score, like a training table: forward mode at `cutoff`, else just
   * after the last event (remote: at the end of the last label window trained on, which the data is
   * known to reach); full-history mode without the users who already cancelled. A remote dry run
   * refuses (RemoteEventSource.planSnapshot prints the plan instead).
   */
  snapshot(like: SnapshotLike, cutoff?: number): Promise<FeatureTable>;
  /**
   * The training table and the scoring snapshot just after the last event, the same tables as
   * trainingTable then snapshot(table): the local store computes both in one pass over the events;
   * null after a remote dry run.
   */
  trainingAndScoringTables(options?: TrainingTableOptions): Promise<TrainingAndScoringTables | null>;
  /** Why this source cannot give the exploratory tables, or null when eda() can. */
  readonly edaUnavailable: string | null;
  /** The exploratory tables (churn rate by group, events per day, page mix, sessions); refused where edaUnavailable says why. */
  eda(): Promise<EdaData>;
  /** Runs work that asks several questions in a row (features, EDA, snapshot): the local store reads the events once for all. */
  reading<T>(work: () => Promise<T>): Promise<T>;
  /** Writes the data report as JSON (atomically). */
  writeReport(file: string): Promise<void>;
  /** Refuses if a local file read has changed since it was loaded (remote: nothing to check). */
  checkInputs(): void;
  /** Frees the store (local) or nothing (remote). */
  close(): Promise<void>;
}
