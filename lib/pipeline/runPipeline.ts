import * as fs from "node:fs";
import { ensureDefaultDataset } from "../simulate";
import { EventStore, type DataReport } from "../store";
import {
  computeFeatures, eventTimeRange, writeFeaturesCsv, type FeatureMode, type FeatureTable, type LabelKind,
} from "../features";
import { trainAndEvaluate, scoreUsers, type MetricsJson, type ScoredUser } from "../evaluation";
import { saveModel, type ModelKind } from "../models";
import { weeklyCutoffs, type CutoffPlan } from "./cutoffPlan";
import { ensureRunFolder, writeJsonAtomic, type RunFolder } from "./runFolder";
import { snapshotFeatures } from "./snapshotFeatures";
import { writeScoresCsv } from "./scoresCsv";

/** Options of `sparkify-churn run` (the same meaning as its flags). */
export interface RunOptions {
  /** Input sources; default the embedded default data set. */
  input?: string | string[];
  /** Run folder; default "out". */
  out: string;
  mode?: FeatureMode;
  /** Forward mode: one cutoff, weekly stacked cutoffs (the default), or the features module's default. */
  cutoffs?: CutoffPlan;
  horizonDays?: number;
  label?: LabelKind;
  models?: ModelKind[];
  folds?: number;
  seed?: number;
  /** Hyper-parameter search (default on). */
  search?: boolean;
  s3Endpoint?: string;
  quiet?: boolean;
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

/** The main job: load → clean → features → CV and fit → run folder with every artefact. */
export async function runPipeline(options: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`));
  const folder = ensureRunFolder(options.out);
  const input = options.input ?? (await ensureDefaultDataset({ quiet: options.quiet }));
  const store = await EventStore.open(input, { quiet: options.quiet, quarantineDir: folder.dir, s3Endpoint: options.s3Endpoint });
  try {
    await store.writeReport(folder.dataReport);
    log(`loaded ${store.report.kept.toLocaleString("en-US")} events of ${store.report.lines.toLocaleString("en-US")} lines`);
    const mode = options.mode ?? "forward";
    const horizonDays = options.horizonDays;
    const plan = options.cutoffs ?? { kind: "weekly", minHistoryDays: 14 };
    let cutoffs: number[] | undefined;
    if (mode === "forward" && plan.kind === "single") cutoffs = [plan.cutoff];
    if (mode === "forward" && plan.kind === "weekly") cutoffs = weeklyCutoffs(await eventTimeRange(store), horizonDays ?? 14, plan.minHistoryDays);
    const table = await computeFeatures(store, { mode, cutoffs, horizonDays, label: options.label });
    await writeFeaturesCsv(table, folder.features);
    log(`features: ${table.rows.length} rows × ${table.dictionary.length} features (${mode}${cutoffs ? `, ${cutoffs.length} cutoff(s)` : ""})`);

    const trained = await trainAndEvaluate(table, { models: options.models, folds: options.folds, seed: options.seed, search: options.search, onProgress: log });
    writeJsonAtomic(folder.metrics, trained.metrics);
    for (const [kind, bundle] of Object.entries(trained.fitted)) if (bundle) saveModel(`${folder.models}/${kind}.json`, bundle);
    const best = bestModel(trained.metrics);

    const snapshot = await snapshotFeatures(store, table);
    await writeFeaturesCsv(snapshot, folder.scoringFeatures);
    const scores = scoreUsers(trained.fitted[best]!, snapshot, { topK: 3 });
    writeScoresCsv(folder.scores, scores);
    return { folder, report: store.report, features: table, metrics: trained.metrics, scores, best, seconds: (Date.now() - t0) / 1000 };
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

/** True when `file` exists and is a non-empty file. */
export function nonEmptyFile(file: string): boolean {
  return fs.existsSync(file) && fs.statSync(file).size > 0;
}
