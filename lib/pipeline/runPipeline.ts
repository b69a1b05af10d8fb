import type { DataReport } from "../store";
import { writeFeaturesCsv, type FeatureTable } from "../features";
import { budgetRows, selectBest, trainAndEvaluate, scoreUsers, type MetricsJson, type ScoredUser, type SelectCriterion } from "../evaluation";
import type { ModelKind } from "../models";
import type { EdaData } from "../eda";
import { writeReport } from "../report";
import type { EngineName, RemoteSettings } from "../remote";
import { checkEventSourceOptions, openEventSource, type OpenEventsOptions, type TrainingTableOptions } from "../eventSource";
import { saveTrainingResult } from "./saveTrainingResult";
import { writeJsonAtomic, type RunFolder } from "./runFolder";
import { beginRun, type RunFingerprints } from "./runSessionFor";
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
  scoring: FeatureTable;
  /** Why there is no EDA (a remote engine), for the report's notes. */
  edaUnavailable: string | null;
}

/**
 * The main job: load → clean → features → CV and fit → run folder with every artefact and report.html,
 * and run.json written last (see RunSession: the folder is locked, an earlier run's files removed).
 * Returns null after a remote `--dry-run` (nothing sent, nothing trained, the run folder untouched).
 */
export async function runPipeline(options: RunOptions): Promise<RunResult | null> {
  // Every stage's wall time and peak RSS go to metrics.json (`timings`) and to a progress line.
  // Options first, before the run folder is touched: an option error never removes an earlier run.
  checkEventSourceOptions(options);
  if (options.remote?.dryRun) return dryRun(options);
  const timer = new StageTimer(options.log ?? (options.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`)));
  return beginRun(options, (folder, fingerprints) => withStageTimer(timer, () => runInFolder(options, folder, fingerprints)), "run", () => timer.timings);
}

/** A remote dry run: prints what the run would send and returns null; --out is neither read nor written. */
async function dryRun(options: RunOptions): Promise<null> {
  const source = await openEventSource(options);
  try {
    await source.trainingTable(options);
    return null;
  } finally {
    await source.close();
  }
}

async function runInFolder(options: RunOptions, folder: RunFolder, fingerprints: RunFingerprints): Promise<RunResult | null> {
  const t0 = Date.now();
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`));
  // The one local-or-remote choice: the store loads the events here; a remote engine leaves them on S3.
  const source = await timedStage("load", () => openEventSource({ ...options, out: folder.dir }));
  fingerprints.push(...source.inputs);
  try {
    const reported = async (report: DataReport): Promise<void> => {
      await source.writeReport(folder.dataReport);
      log(source.remote
        ? `${source.engine} kept ${report.kept.toLocaleString("en-US")} events of ${report.lines.toLocaleString("en-US")} lines`
        : `loaded ${report.kept.toLocaleString("en-US")} events of ${report.lines.toLocaleString("en-US")} lines`);
    };
    if (source.report) await reported(source.report);
    // Features (with the scoring snapshot) and EDA read the events more than once: the local store
    // makes one copy of the columns they read.
    const copied = source.remote ? () => undefined : beginStage("events copy");
    const loaded = await source.reading(async () => {
      copied();
      // The training table and the users to score now: one pass over the events on the local store.
      const built = await timedStage("features", async () => {
        const both = await source.trainingAndScoringTables(options);
        if (both) await writeFeaturesCsv(both.table, folder.features);
        return both;
      });
      if (!built) return null; // a remote dry run: printed, nothing sent
      const { table, scoring } = built;
      log(`features${source.remote ? ` on ${source.engine}` : ""}: ${table.rows.length} rows × ${table.dictionary.length} features (${table.mode}, ${table.cutoffs.length} cutoff(s)), and ${scoring.rows.length} users to score`);
      const eda = source.edaUnavailable === null ? await timedStage("EDA", () => source.eda()) : undefined;
      return { table, eda, scoring };
    }).finally(copied);
    if (!loaded) return null;
    if (source.remote) await reported(source.report!);
    if (loaded.eda) writeJsonAtomic(folder.eda, loaded.eda);
    source.checkInputs(); // the files read must still be the files loaded
    const report = source.report!;
    // Nothing reads the events from here on: DuckDB's memory goes back before the models take theirs.
    await source.close();
    return await trainScoreAndReport(options, folder, log, t0, { ...loaded, report, edaUnavailable: source.edaUnavailable });
  } finally {
    await source.close();
  }
}

async function trainScoreAndReport(options: RunOptions, folder: RunFolder, log: (line: string) => void, t0: number, loaded: Loaded): Promise<RunResult> {
  const { table, report, eda } = loaded;
  const trained = await trainAndEvaluate(table, {
    models: options.models, folds: options.folds, seed: options.seed, search: options.search, select: options.select, include: options.include, jobs: options.jobs, onProgress: log,
  });
  const best = trained.best;
  const scores = await timedStage("scoring", async () => {
    await writeFeaturesCsv(loaded.scoring, folder.scoringFeatures);
    return scoreUsers(trained.fitted[best]!, loaded.scoring, { topK: 3 });
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
      ...(loaded.edaUnavailable ? [`Features computed on ${options.engine}; no EDA charts: ${loaded.edaUnavailable}`] : []),
    ],
  }));
  if (timings) writeJsonAtomic(folder.metrics, trained.metrics); // again, with the report's own timing
  return { folder, report, features: table, metrics: trained.metrics, scores, best, seconds };
}

/** The model metrics.json names as best (its selection), else the highest cross-validated ROC-AUC (then PR-AUC): selectBest. */
export function bestModel(metrics: MetricsJson): ModelKind {
  return selectBest(metrics.models, "auc", metrics.selection?.best) as ModelKind;
}

function describeInput(input: string | string[] | undefined): string {
  const list = Array.isArray(input) ? input : input ? [input] : [];
  return list.length > 0 ? list.join(", ") : "the embedded default data set (simulated mini preset)";
}
