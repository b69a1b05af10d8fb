import type { DataReport } from "../store";
import { writeFeaturesCsv, type FeatureTable } from "../features";
import { budgetRows, trainAndEvaluate, scoreUsers, type MetricsJson, type ScoredUser, type SelectCriterion } from "../evaluation";
import type { ModelKind } from "../models";
import { runEda, type EdaData } from "../eda";
import { EDA_SOURCE_COLUMNS } from "../eda/runEda";
import { FEATURE_SOURCE_COLUMNS } from "../features/computeFeatures";
import { writeReport } from "../report";
import { isRemoteEngine, type EngineName } from "../remote";
import { SparkifyError } from "../errors";
import { openEvents, type OpenEventsOptions } from "./openEvents";
import { trainingTable, type TrainingTableOptions } from "./trainingTable";
import { remoteDataReport, remoteSnapshot, remoteTrainingTable, type RemoteSettings } from "./remoteTables";
import { saveTrainingResult } from "./saveTrainingResult";
import { writeJsonAtomic, type RunFolder } from "./runFolder";
import { beginRun, type RunFingerprints } from "./runSessionFor";
import { snapshotFeatures } from "./snapshotFeatures";
import { StageTimer, beginStage, currentStageTimer, timedStage, withStageTimer } from "../progress/stageTimer";
import { writeScoresCsv } from "./scoresCsv";

/** Options of `sparkify-churn run` (the same meaning as its flags). */
export interface RunOptions extends OpenEventsOptions, TrainingTableOptions {
  /** Run folder; default "out". */
  out: string;
  models?: ModelKind[];
  folds?: number;
  seed?: number;
  /** Hyper-parameter search (default on). */
  search?: boolean;
  /** How the best model is chosen (default "pr_auc", average precision). */
  select?: SelectCriterion;
  /** Threads fitting cross-validation folds in parallel (default: the cores available; 1 = one after another). Same results either way. */
  jobs?: number;
  /** Non-behaviour attributes used as inputs after all ("gender", "state"; default none). */
  include?: string[];
  /** Where the feature query runs: the embedded DuckDB (default), or a remote engine with `remote` settings. */
  engine?: EngineName;
  remote?: RemoteSettings;
  /** Progress lines (default: stderr unless quiet). */
  log?: (line: string) => void;
}

/** What a run produced, for the CLI summary and the notebooks. */
export interface RunResult {
  folder: RunFolder;
  report: DataReport;
  features: FeatureTable;
  metrics: MetricsJson;
  scores: ScoredUser[];
  best: ModelKind;
  seconds: number;
}

/** What the training, scoring and report step needs from the loading step. */
interface Loaded {
  table: FeatureTable;
  report: DataReport;
  eda?: EdaData;
  /** The features of the users to score now. */
  snapshot: () => Promise<FeatureTable>;
}

/**
 * The main job: load → clean → features → CV and fit → run folder with every artefact and report.html,
 * and run.json written last (see RunSession: the folder is locked, an earlier run's files removed).
 * Returns null after a remote `--dry-run` (nothing was sent, nothing trained).
 */
export async function runPipeline(options: RunOptions): Promise<RunResult | null> {
  // Every stage's wall time and peak RSS go to metrics.json (`timings`) and to a progress line.
  const timer = new StageTimer(options.log ?? (options.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`)));
  return beginRun(options, (folder, fingerprints) => withStageTimer(timer, () => runInFolder(options, folder, fingerprints)), "run", () => timer.timings);
}

async function runInFolder(options: RunOptions, folder: RunFolder, fingerprints: RunFingerprints): Promise<RunResult | null> {
  const t0 = Date.now();
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`));
  if (isRemoteEngine(options.engine)) {
    const inputs = Array.isArray(options.input) ? options.input : options.input ? [options.input] : [];
    if (inputs.length !== 1) throw new SparkifyError("E_BAD_OPTION", `--engine ${options.engine} needs one --input s3://bucket/prefix/ (the data stays where it lives).`);
    const [input] = inputs;
    fingerprints.push({ source: input, remote: options.engine });
    const settings = options.remote ?? {};
    const remote = await remoteTrainingTable(options.engine, input, options, settings, folder.features);
    if (!remote.table) return null;
    const table = remote.table;
    const report = remoteDataReport(input, remote.dataReport);
    writeJsonAtomic(folder.dataReport, report);
    log(`features on ${options.engine}: ${table.rows.length} rows × ${table.dictionary.length} features`);
    return trainScoreAndReport(options, folder, log, t0, {
      table, report, snapshot: () => remoteSnapshot(options.engine as Exclude<EngineName, "duckdb">, input, table, settings, folder.scoringFeatures),
    });
  }
  const store = await timedStage("load", () => openEvents({ ...options, out: folder.dir }));
  fingerprints.push(...store.inputs);
  try {
    await store.writeReport(folder.dataReport);
    log(`loaded ${store.report.kept.toLocaleString("en-US")} events of ${store.report.lines.toLocaleString("en-US")} lines`);
    // Features, EDA and the scoring snapshot read the events many times: one copy when they live
    // in their files (the snapshot inside it too, not a second copy), of the columns they read.
    const copied = beginStage("events copy");
    const [table, eda, scoring] = await store.withEventsCopy(async () => {
      copied();
      const t = await timedStage("features", async () => {
        const built = await trainingTable(store, options);
        await writeFeaturesCsv(built, folder.features);
        return built;
      });
      log(`features: ${t.rows.length} rows × ${t.dictionary.length} features (${t.mode}, ${t.cutoffs.length} cutoff(s))`);
      const e = await timedStage("EDA", () => runEda(store));
      return [t, e, await timedStage("scoring features", () => snapshotFeatures(store, t))] as const;
    }, [...new Set([...FEATURE_SOURCE_COLUMNS, ...EDA_SOURCE_COLUMNS])]).finally(copied);
    writeJsonAtomic(folder.eda, eda);
    const result = await trainScoreAndReport(options, folder, log, t0, { table, report: store.report, eda, snapshot: async () => scoring });
    store.checkInputs(); // the files read must still be the files loaded
    return result;
  } finally {
    await store.close();
  }
}

async function trainScoreAndReport(options: RunOptions, folder: RunFolder, log: (line: string) => void, t0: number, loaded: Loaded): Promise<RunResult> {
  const { table, report, eda } = loaded;
  const trained = await trainAndEvaluate(table, {
    models: options.models, folds: options.folds, seed: options.seed, search: options.search, select: options.select, include: options.include, jobs: options.jobs, onProgress: log,
  });
  const best = trained.best;
  const scores = await timedStage("scoring", async () => {
    const snapshot = await loaded.snapshot();
    await writeFeaturesCsv(snapshot, folder.scoringFeatures);
    return scoreUsers(trained.fitted[best]!, snapshot, { topK: 3 });
  });
  // the retention budget is read on the population scored now, so metrics.json is written after scoring
  trained.metrics.budget = budgetRows(scores.map((s) => s.probability));
  const timings = currentStageTimer()?.timings;
  if (timings) trained.metrics.timings = timings;
  saveTrainingResult(folder, trained);
  writeScoresCsv(folder.scores, scores);
  const seconds = (Date.now() - t0) / 1000;
  await timedStage("report", () => writeReport(folder.report, {
    source: describeInput(options.input),
    dataReport: report,
    eda,
    metrics: trained.metrics,
    bestModel: best,
    risk: scores,
    notes: [
      `${table.rows.length} training rows from ${table.cutoffs.length || "no"} cutoff(s); ${seconds.toFixed(1)} s on this machine.`,
      ...(eda ? [] : [`Features computed on ${options.engine}; the EDA charts need the events locally and are left out.`]),
    ],
  }));
  if (timings) writeJsonAtomic(folder.metrics, trained.metrics); // again, with the report's own timing
  return { folder, report, features: table, metrics: trained.metrics, scores, best, seconds };
}

/** The model metrics.json names as best (its selection), else the one with the highest cross-validated ROC-AUC. */
export function bestModel(metrics: MetricsJson): ModelKind {
  if (metrics.selection?.best && metrics.models[metrics.selection.best]) return metrics.selection.best as ModelKind;
  const entries = Object.entries(metrics.models) as Array<[ModelKind, { auc: number }]>;
  if (entries.length === 0) throw new Error("metrics has no models");
  return entries.reduce((a, b) => (b[1].auc > a[1].auc ? b : a))[0];
}

function describeInput(input: string | string[] | undefined): string {
  const list = Array.isArray(input) ? input : input ? [input] : [];
  return list.length > 0 ? list.join(", ") : "the embedded default data set (simulated mini preset)";
}
