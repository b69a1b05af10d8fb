import * as fs from "node:fs";
import { DEFAULT_DATASET, DEFAULT_SEED } from "../config";
import { writeSimulation } from "./writeSimulation";

/**
 * Path of the embedded default data set (the mini preset with DEFAULT_SEED), generated on first
 * use. writeSimulation writes under a temporary name and renames, so concurrent first uses are safe.
 */
export async function ensureDefaultDataset(options: { quiet?: boolean } = {}): Promise<string> {
  if (fs.existsSync(DEFAULT_DATASET)) return DEFAULT_DATASET;
  if (!options.quiet) process.stderr.write(`generating the default data set ${DEFAULT_DATASET} (mini preset, seed ${DEFAULT_SEED}) …\n`);
  await writeSimulation({ preset: "mini", seed: DEFAULT_SEED, out: DEFAULT_DATASET, quiet: options.quiet });
  return DEFAULT_DATASET;
}
