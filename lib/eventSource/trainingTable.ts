import { computeFeatures, eventTimeRange, type FeatureTable } from "../features";
import type { SqlRunner } from "../store";
import { planCutoffs, type TrainingTableOptions } from "./cutoffPlan";

/** The feature table a model is trained on, from events behind a SqlRunner: forward mode with weekly stacked cutoffs unless told otherwise. */
export async function trainingTable(runner: SqlRunner, options: TrainingTableOptions = {}): Promise<FeatureTable> {
  const cutoffs = await planCutoffs(options, () => eventTimeRange(runner));
  return computeFeatures(runner, { mode: options.mode ?? "forward", cutoffs: cutoffs ?? undefined, horizonDays: options.horizonDays, label: options.label });
}

/** A training table and the scoring snapshot that goes with it (see EventSource.trainingAndScoringTables). */
export interface TrainingAndScoringTables {
  table: FeatureTable;
  scoring: FeatureTable;
}

/**
 * The training table and the scoring snapshot from one feature query, the same tables as
 * trainingTable then snapshotFeatures: in forward mode the scoring time (just after the last event)
 * is one more stacked cutoff of the one pass over the events, and its rows are split off; in
 * full-history mode the snapshot is the training table without the users who cancelled.
 */
export async function trainingAndScoringTables(runner: SqlRunner, options: TrainingTableOptions = {}): Promise<TrainingAndScoringTables> {
  if ((options.mode ?? "forward") !== "forward") {
    const table = await trainingTable(runner, options);
    return { table, scoring: { ...table, rows: table.rows.filter((r) => r.churn !== 1) } };
  }
  const range = await eventTimeRange(runner);
  const cutoffs = (await planCutoffs(options, async () => range))!; // forward mode and a known range: never null or undefined
  const at = (range.maxTs ?? 0) + 1;
  // Cutoffs only add buckets to the pass; each cutoff's sums are exact, so its rows do not change.
  const both = await computeFeatures(runner, { mode: "forward", cutoffs: [...new Set([...cutoffs, at])], horizonDays: options.horizonDays, label: options.label });
  const trained = new Set(both.cutoffs.filter((c) => cutoffs.includes(c)));
  return {
    table: { ...both, cutoffs: [...trained], rows: both.rows.filter((r) => trained.has(r.cutoff as number)) },
    scoring: { ...both, cutoffs: [at], rows: both.rows.filter((r) => r.cutoff === at) },
  };
}
