import { SparkifyError } from "../errors";
import { resolveFeatureOptions } from "../features/resolveCutoffs";
import type { FeatureOptions, ResolvedFeatureOptions } from "../features/types";

/**
 * Resolves feature options for a remote engine, where the data's time range is not known locally:
 * the same checks and defaults as on DuckDB, but forward mode needs an explicit cutoff.
 */
export function resolveRemoteFeatureOptions(options: FeatureOptions): ResolvedFeatureOptions {
  const given = (options.cutoff === undefined ? 0 : 1) + (options.cutoffs?.length ?? 0);
  if ((options.mode ?? "forward") === "forward" && given === 0) {
    // The default cutoff comes from the data's time range, which only the remote engine can see.
    throw new SparkifyError("E_REMOTE_CONFIG", "Forward mode on a remote engine needs explicit cutoffs: pass --cutoff ISO.");
  }
  return resolveFeatureOptions({ minTs: null, maxTs: null }, options);
}
