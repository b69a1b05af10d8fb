import type { DataReport } from "../store";
import { writeFeaturesCsv, type FeatureTable } from "../features";
import { trainAndEvaluate, scoreUsers, type MetricsJson, type ScoredUser } from "../evaluation";
import type { ModelKind } from "../models";
import { runEda } from "../eda";
import { writeReport } from "../report";
import { openEvents, type OpenEventsOptions } from "./openEvents";
import { trainingTable, type TrainingTableOptions } from "./trainingTable";
import { saveTrainingResult } from "./saveTrainingResult";
import { ensureRunFolder, writeJsonAtomic, type RunFolder } from "./runFolder";
import { snapshotFeatures } from "./snapshotFeatures";
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

/** The main job: load → clean → features → CV and fit → run folder with every artefact and report.html. */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`));
  const folder = ensureRunFolder(options.out);
  const store = await openEvents({ ...options, out: folder.dir });
  try {
    await store.writeReport(folder.dataReport);
    log(`loaded ${store.report.kept.toLocaleString("en-US")} events of ${store.report.lines.toLocaleString("en-US")} lines`);
    const table = await trainingTable(store, options);
    await writeFeaturesCsv(table, folder.features);
    log(`features: ${table.rows.length} rows × ${table.dictionary.length} features (${table.mode}, ${table.cutoffs.length} cutoff(s))`);
    const eda = await runEda(store);
    writeJsonAtomic(folder.eda, eda);

    const trained = await trainAndEvaluate(table, { models: options.models, folds: options.folds, seed: options.seed, search: options.search, onProgress: log });
    saveTrainingResult(folder, trained);
    const best = bestModel(trained.metrics);

    const snapshot = await snapshotFeatures(store, table);
    await writeFeaturesCsv(snapshot, folder.scoringFeatures);
    const scores = scoreUsers(trained.fitted[best]!, snapshot, { topK: 3 });
    writeScoresCsv(folder.scores, scores);
    const seconds = (Date.now() - t0) / 1000;
    writeReport(folder.report, {
      source: describeInput(options.input),
      dataReport: store.report,
      eda,
      metrics: trained.metrics,
      bestModel: best,
      risk: scores,
      notes: [`${table.rows.length} training rows from ${table.cutoffs.length || "no"} cutoff(s); ${seconds.toFixed(1)} s on this machine.`],
    });
    return { folder, report: store.report, features: table, metrics: trained.metrics, scores, best, seconds };
  } finally {
    await store.close();
  }
}

/** The model with the highest cross-validated ROC-AUC. */
export function bestModel(metrics: MetricsJson): ModelKind {
  const entries = Object.entries(metrics.models) as Array<[ModelKind, { auc: number }]>;
  if (entries.length === 0) throw new Error("metrics has no models");
  return entries.reduce((a, b) => (b[1].auc > a[1].auc ? b : a))[0];
}

function describeInput(input: string | string[] | undefined): string {
  const list = Array.isArray(input) ? input : input ? [input] : [];
  return list.length > 0 ? list.join(", ") : "the embedded default data set (simulated mini preset)";
}
