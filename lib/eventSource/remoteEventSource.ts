import * as path from "node:path";
import { writeJsonAtomic } from "../io/atomicWrite";
import { SparkifyError } from "../errors";
import { resolveFeatureOptions, type FeatureTable, type TimeRange } from "../features";
import { computeFeaturesRemote, remoteTimeRange, type Engine, type FeatureQueryRenderer, type RemoteDataReport, type RemoteJobOptions } from "../remote";
import type { DataReport } from "../store";
import type { EdaData } from "../eda";
import { describeCutoffPlan, planCutoffs, type TrainingTableOptions } from "./cutoffPlan";
import type { EventSource, SnapshotLike, SourceInput } from "./types";
import type { TrainingAndScoringTables } from "./trainingTable";
import { DAY_MS } from "../events/time";

/** Options of a remote source: the job options (settings, input, work folder, logger) and, for tests, the feature SQL renderer. */
export interface RemoteEventSourceOptions extends RemoteJobOptions {
  render?: FeatureQueryRenderer;
}

/**
 * Events that stay where they live (an s3:// prefix) and a remote engine that answers: EMR Serverless
 * (Spark) or Athena. Each question is one remote job or query over the same cleaning rules as the
 * store; nothing is loaded locally. With `dryRun` each question prints what would be sent and answers
 * null. The fetched tables and counts are kept under `outDir` (remote/, remote-data-report.json).
 */
export class RemoteEventSource implements EventSource {
  readonly remote = true;
  readonly edaUnavailable: string;
  private range: Promise<TimeRange | null> | null = null;
  private counts: RemoteDataReport | undefined;
  private jobs = 0;

  constructor(readonly engine: Engine, private readonly options: RemoteEventSourceOptions) {
    this.edaUnavailable = `the events stay on S3 and ${engine} computes only the feature table and the cleaning counts; the exploratory tables need the events locally (run with --engine duckdb on a copy or a sample).`;
  }

  get inputs(): readonly SourceInput[] {
    return [{ source: this.options.input, remote: this.engine }];
  }

  /** The remote cleaning counts in the data report's shape, after the first feature query. */
  get report(): DataReport | null {
    return this.counts ? remoteDataReport(this.options.input, this.counts) : null;
  }

  /** One small query for the first and last event time, asked once and remembered; null after a dry run. */
  timeRange(): Promise<TimeRange | null> {
    this.range ??= remoteTimeRange(this.engine, this.job("range"));
    return this.range;
  }

  /** The time range if it was asked already, else null (nothing is sent). */
  async knownTimeRange(): Promise<TimeRange | null> {
    return this.range ? this.range : null;
  }

  /**
   * The training table computed where the data lives. Weekly and default cutoffs come from the time
   * range, asked first; a dry run prints the time-range query and says how the cutoffs follow from it.
   */
  async trainingTable(options: TrainingTableOptions = {}): Promise<FeatureTable | null> {
    const cutoffs = await planCutoffs(options, () => this.timeRange());
    if (cutoffs === null) {
      // A dry run cannot know the cutoffs: it shows the feature query with a placeholder for them.
      this.print(`\nThen the feature query, with ${describeCutoffPlan(options)}, once the time range above is known; shown here with one cutoff, ${CUTOFF_PLACEHOLDER}:\n\n`);
      const placeholder = resolveFeatureOptions({ minTs: null, maxTs: null }, { mode: options.mode, cutoffs: [PLACEHOLDER_TS], horizonDays: options.horizonDays, label: options.label });
      return this.features(placeholder, "train", "features.csv", (text) => this.print(withCutoffPlaceholder(text)));
    }
    const features = resolveFeatureOptions({ minTs: null, maxTs: null }, { mode: options.mode, cutoffs, horizonDays: options.horizonDays, label: options.label });
    return this.features(features, "train", "features.csv");
  }

  /** The scoring snapshot where the data lives (see EventSource.snapshot); a dry run refuses (see planSnapshot). */
  async snapshot(like: SnapshotLike, cutoff?: number): Promise<FeatureTable> {
    const table = await this.snapshotOrPlan(like, cutoff);
    if (!table) throw new SparkifyError("E_BAD_OPTION", "a dry run computes no scoring snapshot: it printed what would be sent.");
    return table;
  }

  /** The training table, then the scoring snapshot (two remote queries); null after a dry run, which prints the training query's plan. */
  async trainingAndScoringTables(options: TrainingTableOptions = {}): Promise<TrainingAndScoringTables | null> {
    const table = await this.trainingTable(options);
    return table ? { table, scoring: await this.snapshot(table) } : null;
  }

  /** A dry run of the scoring snapshot: prints the queries it would send (the time range first when the scoring time follows from it). */
  async planSnapshot(like: SnapshotLike, cutoff?: number): Promise<void> {
    if (!this.options.dryRun) throw new SparkifyError("E_BAD_OPTION", "planSnapshot prints a dry run: set dryRun in the remote settings.");
    await this.snapshotOrPlan(like, cutoff);
  }

  /** The snapshot, or null after a dry run, which prints its plan. */
  private async snapshotOrPlan(like: SnapshotLike, cutoff?: number): Promise<FeatureTable | null> {
    if (like.mode === "full-history") {
      if (cutoff !== undefined) throw new SparkifyError("E_BAD_OPTION", "--cutoff needs a forward-mode model: this model was trained in full-history mode, which has no scoring time.");
      const table = await this.features(resolveFeatureOptions({ minTs: null, maxTs: null }, { mode: "full-history", label: like.label }), "score", "scoring-features.csv");
      return table && { ...table, rows: table.rows.filter((r) => r.churn !== 1) };
    }
    // The end of the last label window trained on: the data is known to reach it, with no extra query;
    // else (a saved model) just after the last event, as the local store scores, from the time range.
    const at = cutoff ?? (like.cutoffs && like.cutoffs.length > 0 ? Math.max(...like.cutoffs) + like.horizonDays * DAY_MS : await this.justAfterLastEvent());
    const snapshotAt = (ts: number) => resolveFeatureOptions({ minTs: null, maxTs: null }, { mode: "forward", cutoffs: [ts], horizonDays: like.horizonDays, label: like.label });
    if (at === null) {
      // A dry run cannot know the scoring time: it shows the snapshot query with a placeholder for it.
      this.print(`\nThen the scoring snapshot's feature query, just after the last event once the time range above is known; shown with ${CUTOFF_PLACEHOLDER}:\n\n`);
      return this.features(snapshotAt(PLACEHOLDER_TS), "score", "scoring-features.csv", (text) => this.print(withCutoffPlaceholder(text)));
    }
    return this.features(snapshotAt(at), "score", "scoring-features.csv");
  }

  /** Just after the last event (one time-range query), the scoring time of a saved model without a cutoff; null after a dry run. */
  private async justAfterLastEvent(): Promise<number | null> {
    const range = await this.timeRange();
    if (range === null) return null;
    if (range.maxTs === null) throw new SparkifyError("E_EMPTY_INPUT", `no event kept at ${this.options.input}: nothing to score.`);
    return range.maxTs + 1;
  }

  /** Refused: see edaUnavailable. */
  async eda(): Promise<EdaData> {
    throw new SparkifyError("E_BAD_OPTION", `no EDA on ${this.engine}: ${this.edaUnavailable}`);
  }

  /** Runs `work` as it is: each remote question reads the events where they live. */
  reading<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  /** Writes the remote cleaning counts in the data report's shape. */
  async writeReport(file: string): Promise<void> {
    const report = this.report;
    if (!report) throw new SparkifyError("E_BAD_OPTION", `no data report yet: ${this.engine} reports its cleaning counts with the feature table.`);
    writeJsonAtomic(file, report);
  }

  /** Nothing to check: no local file was read. */
  checkInputs(): void {}

  /** Nothing to free: every remote job has ended. */
  async close(): Promise<void> {}

  /** Computes one feature table remotely; the fetched copy goes to `<outDir>/remote/<file>`. */
  private async features(features: ReturnType<typeof resolveFeatureOptions>, tag: string, file: string, print?: (text: string) => void): Promise<FeatureTable | null> {
    const job = this.job(tag);
    const r = await computeFeaturesRemote(this.engine, { ...job, ...(print ? { print } : {}), features, csvPath: path.join(path.resolve(job.outDir), "remote", file), render: this.options.render });
    if (r.dataReport) this.counts = r.dataReport;
    return r.table ?? null;
  }

  /** The options of one job; a given run id gets a suffix per job (EMR Serverless takes it as the idempotency token). */
  private job(tag: string): RemoteJobOptions {
    const { render: _render, ...job } = this.options;
    return { ...job, runId: job.runId ? `${job.runId}-${tag}${++this.jobs}` : undefined };
  }

  private print(text: string): void {
    (this.options.print ?? ((t: string) => process.stdout.write(t)))(text);
  }
}

/** How a dry run shows the cutoff only the time range can tell. */
const CUTOFF_PLACEHOLDER = "<cutoff: from the time range>";
/** The stand-in cutoff the dry run renders with (2099-12-31), replaced by CUTOFF_PLACEHOLDER in the text. */
const PLACEHOLDER_TS = Date.UTC(2099, 11, 31);

/** The dry-run text with the stand-in cutoff, and the week boundaries derived from it, shown as placeholders. */
function withCutoffPlaceholder(text: string): string {
  const names: Array<[number, string]> = [[PLACEHOLDER_TS, CUTOFF_PLACEHOLDER], [PLACEHOLDER_TS - 7 * DAY_MS, "<cutoff − 7 days>"], [PLACEHOLDER_TS - 14 * DAY_MS, "<cutoff − 14 days>"]];
  return names.reduce((t, [ts, name]) => t.replace(new RegExp(`\\b${ts}\\b`, "g"), name), text);
}

/** The remote cleaning counts in the data report's shape (malformed lines count as quarantined). */
export function remoteDataReport(input: string, r: RemoteDataReport | undefined): DataReport {
  const counts = r ?? { lines: 0, kept: 0, dropped: {}, malformed: 0 };
  return {
    lines: counts.lines, kept: counts.kept, dropped: { ...counts.dropped }, flagged: {}, quarantined: counts.malformed,
    quarantineFile: null, sources: [{ source: input, lines: counts.lines, bytes: 0 }],
  };
}
