import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root: the nearest folder above this file with package.json (lib/ or dist/lib/). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "..");
  }
}

/** Where generated data sets live (ignored by git, but for the committed sample). */
export const DATA_DIR = path.join(PROJECT_ROOT, "data");

/** The embedded default data set: the simulated mini preset, generated on first use. */
export const DEFAULT_DATASET = path.join(DATA_DIR, "sparkify-mini.jsonl");

/** Seed of the embedded default data set; changing it changes every default result. */
export const DEFAULT_SEED = 42;

/** Small committed sample (a few thousand simulated events) for tests and quick looks. */
export const SAMPLE_DATASET = path.join(DATA_DIR, "sample", "sparkify-sample.jsonl.gz");

/** Default run folder of `sparkify-churn run`. */
export const DEFAULT_OUT_DIR = "out";
