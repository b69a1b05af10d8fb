import { SparkifyError } from "../errors";
import { computeFeatures, eventTimeRange, type FeatureTable } from "../features";
import type { SqlRunner } from "../store";

/**
 * The features of every user still active at the scoring time, for scoring: forward mode with the
 * cutoff just after the last event (so every event is history and no label is known), or at `cutoff`
 * (epoch ms) when given, which scores a past snapshot from the events before it (users who cancelled
 * before it are left out, and the label column holds what happened in the horizon after it, as far
 * as the data reaches); full-history mode without the users who already cancelled.
 */
export async function snapshotFeatures(runner: SqlRunner, like: Pick<FeatureTable, "mode" | "horizonDays" | "label">, cutoff?: number): Promise<FeatureTable> {
  if (like.mode === "full-history") {
    if (cutoff !== undefined) throw new SparkifyError("E_BAD_OPTION", "--cutoff needs a forward-mode model: this model was trained in full-history mode, which has no scoring time.");
    const t = await computeFeatures(runner, { mode: "full-history", label: like.label });
    return { ...t, rows: t.rows.filter((r) => r.churn !== 1) };
  }
  const range = await eventTimeRange(runner);
  if (cutoff !== undefined && range.minTs !== null && range.maxTs !== null && (cutoff <= range.minTs || cutoff > range.maxTs + 1)) {
    throw new SparkifyError("E_BAD_OPTION", `--cutoff ${new Date(cutoff).toISOString()} is outside the events (${new Date(range.minTs).toISOString()} … ${new Date(range.maxTs).toISOString()}): no history before it, or no events at all up to it.`);
  }
  const at = cutoff ?? (range.maxTs ?? 0) + 1;
  return computeFeatures(runner, { mode: "forward", cutoffs: [at], horizonDays: like.horizonDays, label: like.label });
}
