import * as fs from "node:fs";
import * as path from "node:path";
import { StageTimer } from "../progress/stageTimer";
import type { StorageMode } from "../store";
import { checkEventSourceOptions, labelWindowClosed, openEventSource, RemoteEventSource } from "../eventSource";
import type { EngineName, RemoteSettings } from "../remote";
import { averagePrecision, expectedCalibrationError, rocAuc, scoreUsers, type ScoredUser } from "../evaluation";
import type { FeatureMode, LabelKind } from "../features";
import { loadModel } from "../models";
import { writeScoresCsv } from "./scoresCsv";
import { guardOutputs } from "../io";
import { localInputs } from "../inputs";
import { DEFAULT_DATASET } from "../config";
import type { DataReport } from "../ingest";
import { quarantinePathFor } from "./quarantineFile";
import { checkAgainstManifest, refuseRunArtefact, unfinishedRunOf } from "./runManifest";
import { scoringWarnings } from "./scoringGuards";

/** Options of `sparkify-churn score`. */
export interface ScoreOptions {
  model: string;
  input?: string | string[];
  out: string;
  /** Score as of this time (epoch ms): features from the events before it. Default: just after the last event. */
  cutoff?: number;
  s3Endpoint?: string;
  storage?: StorageMode;
  quiet?: boolean;
  /** Load a part-file folder without its _SUCCESS marker. */
  allowIncomplete?: boolean;
  /** Where the scoring snapshot is computed: the embedded DuckDB (default), or a remote engine with `remote` settings. */
  engine?: EngineName;
  /** Settings of a remote engine (a plain object; lib/cli reads them from flags and SPARKIFY_* variables). */
  remote?: RemoteSettings;
}

/** What happened after a past cutoff, when the input covers its whole horizon: the check of the scores. */
export interface ScoreOutcome {
  cutoff: string;
  horizonDays: number;
  users: number;
  churned: number;
  observed_rate: number;
  mean_predicted: number;
  /** Sum of the probabilities: the churners the model expected. */
  expected_churners: number;
  auc: number;
  pr_auc: number;
  ece: number;
  /** Churners among the users flagged at risk. */
  churned_at_risk: number;
  at_risk: number;
}

/**
 * Scores the active users of `input` with a saved model and writes the ranked CSV. With `cutoff`,
 * scores the snapshot at that time; if the input reaches past cutoff + horizon, the result also
 * says what happened (observed churners against the calibrated probabilities). Null after a remote
 * dry run, which prints what would be sent.
 */
export async function scorePipeline(options: ScoreOptions): Promise<{
  scores: ScoredUser[]; kind: string; threshold: number; cutoff: string; outcome: ScoreOutcome | null;
  /** The load's line accounting (quarantined lines are in report.quarantineFile, beside the output). */
  report: DataReport;
  /** Things the user should know about this model on this data (full-history model, unseen categories). */
  warnings: string[];
  /** run.json the model was checked against, when it sits in a run folder. */
  manifest: string | null;
} | null> {
  // Before any work: outputs never over an input (nor the model), writable; the model from its run.
  const quarantineFile = quarantinePathFor(options.out);
  const remote = checkEventSourceOptions(options) !== null; // a remote engine reads no local file
  const given = (Array.isArray(options.input) ? options.input : options.input ? [options.input] : []).filter(Boolean);
  const local = remote ? { files: [], folders: [] } : localInputs(given.length > 0 ? given : fs.existsSync(DEFAULT_DATASET) ? [DEFAULT_DATASET] : [], { allowIncomplete: options.allowIncomplete });
  const outputs = [{ path: options.out, what: "scores file" }, ...(remote ? [] : [{ path: quarantineFile, what: "quarantine file" }])];
  guardOutputs({ files: [...local.files, options.model], folders: local.folders }, outputs);
  for (const o of outputs) refuseRunArtefact(o.path, o.what);
  const checked = await checkAgainstManifest(options.model);
  const bundle = loadModel(options.model);
  // Each stage's time and peak RSS as a progress line, as in `run`.
  const timer = new StageTimer(options.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`));
  const source = await timer.time("load", () => openEventSource({
    input: options.input, out: path.dirname(path.resolve(options.out)), quarantineFile, allowIncomplete: options.allowIncomplete,
    s3Endpoint: options.s3Endpoint, storage: options.storage, quiet: options.quiet, engine: options.engine, remote: options.remote,
  }));
  try {
    const horizonDays = bundle.horizon ?? 14;
    const like = { mode: bundle.mode as FeatureMode, horizonDays, label: (bundle.label ?? "cancel") as LabelKind };
    if (source instanceof RemoteEventSource && options.remote?.dryRun) {
      await source.planSnapshot(like, options.cutoff); // printed; nothing sent, nothing written
      return null;
    }
    const snapshot = await timer.time("features", () => source.snapshot(like, options.cutoff));
    const scores = await timer.time("scoring", () => scoreUsers(bundle, snapshot, { topK: 3 }));
    const warnings = scoringWarnings(bundle, snapshot.rows, options.model);
    const unfinished = checked ? null : unfinishedRunOf(options.model);
    if (unfinished) warnings.unshift(`${unfinished} has no run.json: the run that wrote ${options.model} did not finish (or predates run.json), so nothing vouches that the model belongs with the files beside it`);
    source.checkInputs(); // the files read must still be the files loaded
    writeScoresCsv(options.out, scores);
    const at = snapshot.cutoffs[0];
    let outcome: ScoreOutcome | null = null;
    if (options.cutoff !== undefined && at !== undefined) {
      const range = await source.timeRange();
      if (range && labelWindowClosed(at, horizonDays, range)) outcome = outcomeOf(snapshot.rows, scores, new Date(at).toISOString(), horizonDays);
    }
    return { scores, kind: bundle.kind, threshold: bundle.threshold, cutoff: at === undefined ? "" : new Date(at).toISOString(), outcome, report: source.report!, warnings, manifest: checked?.manifest ?? null };
  } finally {
    await source.close();
  }
}

/** Compares the scores with the labels of the snapshot (what happened in the horizon). */
function outcomeOf(rows: Array<Record<string, unknown>>, scores: ScoredUser[], cutoff: string, horizonDays: number): ScoreOutcome {
  const label = new Map(rows.map((r) => [String(r.userId), r.churn === 1 ? 1 : 0]));
  const y = Float64Array.from(scores, (s) => label.get(s.userId) ?? 0);
  const p = Float64Array.from(scores, (s) => s.probability);
  const churned = y.reduce((a, v) => a + v, 0);
  const expected = p.reduce((a, v) => a + v, 0);
  return {
    cutoff, horizonDays, users: scores.length, churned, observed_rate: churned / Math.max(1, scores.length), mean_predicted: expected / Math.max(1, scores.length),
    expected_churners: expected, auc: rocAuc(y, p), pr_auc: averagePrecision(y, p), ece: expectedCalibrationError(y, p),
    churned_at_risk: scores.reduce((a, s, i) => a + (s.atRisk ? y[i] : 0), 0), at_risk: scores.filter((s) => s.atRisk).length,
  };
}
