import { computeFeatures, eventTimeRange, type FeatureTable } from "../features";
import type { SqlRunner } from "../store";
import { planCutoffs, type TrainingTableOptions } from "./cutoffPlan";

/** The feature table a model is trained on, from events behind a SqlRunner: forward mode with weekly stacked cutoffs unless told otherwise. */
export async function trainingTable(runner: SqlRunner, options: TrainingTableOptions = {}): Promise<FeatureTable> {
  const cutoffs = await planCutoffs(options, () => eventTimeRange(runner));
  return computeFeatures(runner, { mode: options.mode ?? "forward", cutoffs: cutoffs ?? undefined, horizonDays: options.horizonDays, label: options.label });
}
