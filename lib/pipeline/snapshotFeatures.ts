import { computeFeatures, eventTimeRange, type FeatureTable } from "../features";
import type { SqlRunner } from "../store";

/**
 * The features of every user still active at the end of the data, for scoring "now": forward mode
 * with the cutoff just after the last event (so every event is history and no label is known), or
 * full-history mode without the users who already cancelled.
 */
export async function snapshotFeatures(runner: SqlRunner, like: Pick<FeatureTable, "mode" | "horizonDays" | "label">): Promise<FeatureTable> {
  if (like.mode === "full-history") {
    const t = await computeFeatures(runner, { mode: "full-history", label: like.label });
    return { ...t, rows: t.rows.filter((r) => r.churn !== 1) };
  }
  const range = await eventTimeRange(runner);
  const cutoff = (range.maxTs ?? 0) + 1;
  return computeFeatures(runner, { mode: "forward", cutoffs: [cutoff], horizonDays: like.horizonDays, label: like.label });
}
