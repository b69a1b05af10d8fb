import * as path from "node:path";

/** The repository root (lib/ sits directly below it). */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

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
