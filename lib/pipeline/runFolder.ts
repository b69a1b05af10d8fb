import * as fs from "node:fs";
import * as path from "node:path";

/** The files of a run folder, in one place so the CLI, notebooks and report agree on names. */
export interface RunFolder {
  dir: string;
  dataReport: string;
  features: string;
  scoringFeatures: string;
  metrics: string;
  models: string;
  scores: string;
  report: string;
  eda: string;
}

/** Paths of the run folder `dir` (nothing is created). */
export function runFolder(dir: string): RunFolder {
  const d = path.resolve(dir);
  return {
    dir: d,
    dataReport: path.join(d, "data-report.json"),
    features: path.join(d, "features.csv"),
    scoringFeatures: path.join(d, "scoring-features.csv"),
    metrics: path.join(d, "metrics.json"),
    models: path.join(d, "models"),
    scores: path.join(d, "scores.csv"),
    report: path.join(d, "report.html"),
    eda: path.join(d, "eda.json"),
  };
}

/** Creates the run folder and its models/ subfolder. */
export function ensureRunFolder(dir: string): RunFolder {
  const f = runFolder(dir);
  fs.mkdirSync(f.models, { recursive: true });
  return f;
}

/** Writes `value` as pretty JSON, through a temporary file so a crash never leaves half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
  fs.renameSync(tmp, file);
}
