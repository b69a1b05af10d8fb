import { runEda, type EdaData } from "../eda";
import { EDA_SOURCE_COLUMNS } from "../eda/runEda";
import { eventTimeRange, type FeatureTable, type TimeRange } from "../features";
import { FEATURE_SOURCE_COLUMNS } from "../features/computeFeatures";
import type { DataReport, EventStore } from "../store";
import type { TrainingTableOptions } from "./cutoffPlan";
import { snapshotFeatures } from "./snapshotFeatures";
import { trainingAndScoringTables, trainingTable, type TrainingAndScoringTables } from "./trainingTable";
import type { EventSource, SnapshotLike, SourceInput } from "./types";

/** The events loaded, validated and cleaned into the embedded DuckDB event store. */
export class LocalEventSource implements EventSource {
  readonly engine = "duckdb" as const;
  readonly remote = false;
  readonly edaUnavailable = null;

  /** Wraps an open store; the source closes it. */
  constructor(readonly store: EventStore) {}

  get inputs(): readonly SourceInput[] {
    return this.store.inputs;
  }

  get report(): DataReport {
    return this.store.report;
  }

  /** First and last event time of the store's events. */
  timeRange(): Promise<TimeRange> {
    return eventTimeRange(this.store);
  }

  /** The same as timeRange: the events are here. */
  knownTimeRange(): Promise<TimeRange> {
    return this.timeRange();
  }

  /** The training table for a cutoff plan (weekly by default). */
  trainingTable(options: TrainingTableOptions = {}): Promise<FeatureTable> {
    return trainingTable(this.store, options);
  }

  /** The scoring snapshot (see EventSource.snapshot). */
  snapshot(like: SnapshotLike, cutoff?: number): Promise<FeatureTable> {
    return snapshotFeatures(this.store, like, cutoff);
  }

  /** The training table and the scoring snapshot from one feature query (one pass over the events). */
  trainingAndScoringTables(options: TrainingTableOptions = {}): Promise<TrainingAndScoringTables> {
    return trainingAndScoringTables(this.store, options);
  }

  /** The exploratory tables. */
  eda(): Promise<EdaData> {
    return runEda(this.store);
  }

  /** One copy of the columns features and EDA read, shared by everything `work` asks (see EventStore.withEventsCopy). */
  reading<T>(work: () => Promise<T>): Promise<T> {
    return this.store.withEventsCopy(work, [...new Set([...FEATURE_SOURCE_COLUMNS, ...EDA_SOURCE_COLUMNS])]);
  }

  /** Writes the store's data report. */
  writeReport(file: string): Promise<void> {
    return this.store.writeReport(file);
  }

  /** Refuses if a file read has changed since it was loaded. */
  checkInputs(): void {
    this.store.checkInputs();
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}
