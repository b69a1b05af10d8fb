import { computeFeatures, eventTimeRange, type FeatureMode, type FeatureTable, type LabelKind } from "../features";
import type { SqlRunner } from "../store";
import { weeklyCutoffs, type CutoffPlan } from "./cutoffPlan";

/** How the training table of a run is built (the `run` flags and notebook parameters). */
export interface TrainingTableOptions {
  mode?: FeatureMode;
  /** Forward mode: one cutoff, weekly stacked cutoffs (default), or the features module's default. */
  cutoffs?: CutoffPlan;
  horizonDays?: number;
  label?: LabelKind;
}

/** Parses the `cutoff` flag or notebook parameter: an ISO date, "weekly", or "" for the default. */
export function parseCutoffPlan(value: string | number | null | undefined): CutoffPlan {
  if (value === undefined || value === null || value === "" || value === "weekly") return { kind: "weekly", minHistoryDays: 14 };
  if (value === "default") return { kind: "default" };
  const iso = typeof value === "number" ? value : /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!Number.isFinite(iso)) throw new Error(`cutoff must be an ISO date, "weekly" or "default", got "${value}"`);
  return { kind: "single", cutoff: iso };
}

/** The feature table a model is trained on: forward mode with weekly stacked cutoffs unless told otherwise. */
export async function trainingTable(runner: SqlRunner, options: TrainingTableOptions = {}): Promise<FeatureTable> {
  const mode = options.mode ?? "forward";
  const plan = options.cutoffs ?? { kind: "weekly", minHistoryDays: 14 };
  let cutoffs: number[] | undefined;
  if (mode === "forward" && plan.kind === "single") cutoffs = [plan.cutoff];
  if (mode === "forward" && plan.kind === "weekly") cutoffs = weeklyCutoffs(await eventTimeRange(runner), options.horizonDays ?? 14, plan.minHistoryDays);
  return computeFeatures(runner, { mode, cutoffs, horizonDays: options.horizonDays, label: options.label });
}
